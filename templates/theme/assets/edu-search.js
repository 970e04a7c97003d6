/* Site search with Pagefind, shown in Material's search box and result list.

   Pagefind's index is split into small chunks: a query downloads the search engine once and then
   only the chunks and result excerpts it needs, instead of an index of the whole site. Every
   result says which audience its page is for; the reader's own audience (chosen on the home
   page, kept in localStorage by edu.js) comes first, and the filter keeps only one audience.
   Everything is served by the site itself. */

const SITE = new URL("../", import.meta.url);
const PAGE_SIZE = 10;  // excerpts loaded per page of results: each one is a download
const STORE = "edu-audience";  // the key edu.js keeps the reader's chosen audience under

const box = document.querySelector("[data-edu-search]");
const toggle = document.getElementById("__search");
const input = box.querySelector(".md-search__input");
const meta = box.querySelector(".md-search-result__meta");
const list = box.querySelector(".md-search-result__list");
const more = box.querySelector(".edu-search-more");
const words = JSON.parse(document.getElementById("__config").textContent).translations;

let engine = null;
let shown = { results: [], next: 0 };
let latest = 0;  // only the newest query may draw its results

// One index per audience and one for pages for everyone (build_tools/search_index.py), merged
// into one search; each index carries its audience as the filter value.
async function load() {
  const listed = await fetch(new URL("pagefind/bundles.json", SITE));
  const [first, ...others] = listed.ok ? await listed.json() : [];
  const bundle = name => new URL(`pagefind/${name}/`, SITE).href;
  const module = await import(bundle(first) + "pagefind.js");
  await module.options({ baseUrl: SITE.pathname, excerptLength: 24,
                         mergeFilter: { audience: first } });
  for (const name of others) {
    await module.mergeIndex(bundle(name), { baseUrl: SITE.pathname,
                                            mergeFilter: { audience: name } });
  }
  await module.init();
  return module;
}

function pagefind() {
  engine ??= load();
  return engine;
}

function ownAudience() {
  try { return localStorage.getItem(STORE); } catch { return null; }  // storage can be blocked
}

function chosenFilter() {
  return box.querySelector('input[name="edu-search-audience"]:checked').value;
}

function open() {
  toggle.checked = true;
  input.focus();
  input.select();
}

function close() {
  toggle.checked = false;
  input.blur();
}

// The reader's own audience first, then the rest, each in Pagefind's ranking.
async function find(query) {
  const engine = await pagefind();
  const filter = chosenFilter();
  if (filter) return (await engine.search(query, { filters: { audience: filter } })).results;
  const all = (await engine.search(query)).results;
  const own = ownAudience();
  if (!own) return all;
  const first = (await engine.search(query, { filters: { audience: own } })).results;
  const ids = new Set(first.map(result => result.id));
  return [...first, ...all.filter(result => !ids.has(result.id))];
}

function count(n) {
  if (n === 0) return words["search.result.none"];
  if (n === 1) return words["search.result.one"];
  return words["search.result.other"].replace("#", n);
}

function item(data) {
  const audience = data.filters?.audience?.[0] ?? "general";
  const li = document.createElement("li");
  li.className = "md-search-result__item";
  li.innerHTML = `<a class="md-search-result__link" tabindex="-1">
    <article class="md-search-result__article md-typeset">
      <div class="md-search-result__icon md-icon"></div>
      <p class="edu-search-audience"></p><h1></h1><p class="edu-search-excerpt"></p>
    </article></a>`;
  li.querySelector("a").href = data.url;
  const label = li.querySelector(".edu-search-audience");
  label.dataset.audience = audience;
  label.textContent = `For: ${data.meta.audience ?? "All readers"}`;
  li.querySelector("h1").textContent = data.meta.title ?? data.url;
  li.querySelector(".edu-search-excerpt").innerHTML = data.excerpt;  // Pagefind escapes it
  return li;
}

async function showMore(ticket) {
  const page = shown.results.slice(shown.next, shown.next + PAGE_SIZE);
  const data = await Promise.all(page.map(result => result.data()));
  if (ticket !== latest) return;
  list.append(...data.map(item));
  shown.next += page.length;
  more.hidden = shown.next >= shown.results.length;
}

async function search() {
  const ticket = ++latest;
  const query = input.value.trim();
  if (!query) {
    list.replaceChildren();
    meta.textContent = words["search.result.placeholder"];
    more.hidden = true;
    return;
  }
  const results = await find(query);
  if (ticket !== latest) return;
  shown = { results, next: 0 };
  list.replaceChildren();
  meta.textContent = count(results.length);
  await showMore(ticket);
}

function typedIntoField(event) {
  const target = event.target;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

// Material's shortcuts: "/", "s" or "f" opens search; Escape closes it.
document.addEventListener("keydown", event => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (toggle.checked && event.key === "Escape") {
    close();
  } else if (toggle.checked && event.key === "ArrowDown" && event.target === input) {
    event.preventDefault();
    list.querySelector("a")?.focus();
  } else if (!toggle.checked && ["/", "s", "f"].includes(event.key) && !typedIntoField(event)) {
    event.preventDefault();
    open();
  }
});

let typing;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(search, 120);
});
input.addEventListener("focus", () => {
  toggle.checked = true;
  pagefind();  // start loading the engine while the reader types
});
toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });
box.querySelector("form").addEventListener("submit", event => event.preventDefault());
box.querySelector("form").addEventListener("reset", () => setTimeout(search));
box.querySelector(".edu-search-filter").addEventListener("change", search);
more.addEventListener("click", () => showMore(latest));
meta.textContent = words["search.result.placeholder"];
