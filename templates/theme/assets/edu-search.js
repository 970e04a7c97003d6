/* Site search with Pagefind, shown in Material's search box and result list.

   Pagefind's index is split into small chunks: a query downloads the search engine once and then
   only the chunks and result excerpts it needs, instead of an index of the whole site. Every
   result says which audience its page is for; the reader's own audience (chosen on the home
   page, kept in localStorage by edu.js) comes first, and the filter keeps only one audience.
   A result opens its page at the section that best answers the query. Everything is served by
   the site itself. */

import { bestSection } from "./edu-search-sections.js";

const SITE = new URL("../", import.meta.url);
const PAGE_SIZE = 10;  // excerpts loaded per page of results: each one is a download
const STORE = "edu-audience";  // the key edu.js keeps the reader's chosen audience under
const EVERYONE = "general";  // the index of pages for every reader (build_tools/search_index.py)

const box = document.querySelector("[data-edu-search]");
const toggle = document.getElementById("__search");
const input = box.querySelector(".md-search__input");
const meta = box.querySelector(".md-search-result__meta");
const list = box.querySelector(".md-search-result__list");
const more = box.querySelector(".edu-search-more");
const inner = box.querySelector(".md-search__inner");
const output = box.querySelector(".md-search__output");
const opener = document.querySelector(".edu-search-open");  // the header's button, on phones
const phone = matchMedia("(max-width: 59.984375em)");  // Material's: the panel covers the page
const words = JSON.parse(document.getElementById("__config").textContent).translations;
// ours, in the site's language (templates/theme/main.html)
const eduWords = JSON.parse(document.getElementById("edu-words").textContent);

let engine = null;
let shown = { query: "", results: [], next: 0 };
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

// Nothing in a closed panel takes focus (tabbing backwards would land on what is not shown):
// on a phone none of it, as the header's button opens it; on a wider screen only the field,
// which stays in the header.
function settle() {
  inner.inert = !toggle.checked && phone.matches;
  output.inert = !toggle.checked;
}

function open() {
  toggle.checked = true;
  settle();
  input.focus();
  input.select();
}

let returning = false;  // focus given back to the field, which must not open the panel again

// Closed by the reader (Escape, the close button), focus goes back to what opens search: the
// header's button on a phone, the field on a wider screen. Otherwise focus is where they moved it.
function close({ giveBack = false } = {}) {
  toggle.checked = false;
  settle();
  if (!giveBack) {
    input.blur();
  } else if (phone.matches && opener) {
    opener.focus();
  } else {
    returning = true;
    input.focus();
    returning = false;
  }
}

async function ids(engine, query, audience) {
  const found = (await engine.search(query, { filters: { audience } })).results;
  return new Set(found.map(result => result.id));
}

// Topic pages first, the reader's own audience's before the others; then the pages for
// everyone (glossary, policies), which are short and so would outrank the topics they explain.
async function find(query) {
  const engine = await pagefind();
  const filter = chosenFilter();
  if (filter) return (await engine.search(query, { filters: { audience: filter } })).results;
  const all = (await engine.search(query)).results;
  const general = await ids(engine, query, EVERYONE);
  const own = ownAudience();
  const mine = own ? await ids(engine, query, own) : new Set();
  const rank = result => general.has(result.id) ? 2 : mine.has(result.id) ? 0 : 1;
  return all.map((result, i) => [rank(result), i, result])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , result]) => result);
}

// The site's words by first letter (build_tools/search_words.py): a query word the site does
// not contain finds nothing (Pagefind would answer "oracle" with pages saying "or"), and the
// nearest word it does contain is offered instead.
const letters = new Map();

function shardOf(word) {
  const first = word[0];
  return first >= "a" && first <= "z" ? first : `u${first.codePointAt(0).toString(16)}`;
}

function wordsStarting(word) {
  const name = shardOf(word);
  if (!letters.has(name)) {
    letters.set(name, fetch(new URL(`pagefind/words/${name}.json`, SITE))
      .then(response => response.ok ? response.json() : []).catch(() => []));
  }
  return letters.get(name);
}

function queryWords(query) {
  return query.toLowerCase().match(/[\p{L}][\p{L}\p{N}'-]*/gu) ?? [];
}

// Known: a word of the site starts with it (the reader is still typing), or it is a word of the
// site with an ending of up to 2 letters ("fractures").
function isKnown(word, known) {
  return known.some(w => w.startsWith(word) || (word.startsWith(w) && word.length - w.length <= 2));
}

async function unknownWords(query) {
  const unknown = [];
  for (const word of queryWords(query).filter(w => w.length >= 3)) {
    if (!isKnown(word, await wordsStarting(word))) unknown.push(word);
  }
  return unknown;
}

function distance(a, b) {  // Damerau-Levenshtein (optimal string alignment)
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

async function nearest(word) {
  const limit = word.length < 7 ? 1 : 2;
  let best = null, bestDistance = limit + 1;
  for (const candidate of await wordsStarting(word)) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const d = distance(word, candidate);
    if (d < bestDistance) { best = candidate; bestDistance = d; }
  }
  return best;
}

// The query with each unknown word replaced by its nearest known word; none if one has none.
async function suggestion(query, unknown) {
  let better = query.toLowerCase();
  for (const word of unknown) {
    const replacement = word.length >= 4 ? await nearest(word) : null;
    if (!replacement) return null;
    better = better.replace(word, replacement);
  }
  return better;
}

function offer(better) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "edu-search-suggestion";
  button.textContent = better;
  button.addEventListener("click", () => {
    input.value = better;
    input.focus();
    draw();
  });
  const [before, after] = eduWords.did_you_mean.split("{word}");
  meta.append(` ${before}`, button, after);
}

function count(n) {
  if (n === 0) return words["search.result.none"];
  if (n === 1) return words["search.result.one"];
  return words["search.result.other"].replace("#", n);
}

// A result opens its page at the section that best answers the query (edu-search-sections.js).
function item(data, query) {
  const audience = data.filters?.audience?.[0] ?? "general";
  const section = bestSection(data, queryWords(query));
  const li = document.createElement("li");
  li.className = "md-search-result__item";
  li.innerHTML = `<a class="md-search-result__link">
    <article class="md-search-result__article md-typeset">
      <div class="md-search-result__icon md-icon"></div>
      <p class="edu-search-audience"></p><h1></h1>
      <p class="edu-search-section"></p><p class="edu-search-excerpt"></p>
    </article></a>`;
  li.querySelector("a").href = section?.url ?? data.url;
  const label = li.querySelector(".edu-search-audience");
  label.dataset.audience = audience;
  label.textContent = eduWords.search_for.replace("{audience}", data.meta.audience ?? eduWords.all_readers);
  li.querySelector("h1").textContent = data.meta.title ?? data.url;
  const heading = li.querySelector(".edu-search-section");
  if (section?.title) heading.textContent = section.title;
  else heading.remove();
  const excerpt = li.querySelector(".edu-search-excerpt");
  if (section) excerpt.replaceChildren(...section.excerpt);
  else excerpt.innerHTML = data.excerpt;  // Pagefind escapes it
  return li;
}

async function showMore(ticket) {
  const page = shown.results.slice(shown.next, shown.next + PAGE_SIZE);
  const data = await Promise.all(page.map(result => result.data()));
  if (ticket !== latest) return;
  list.append(...data.map(one => item(one, shown.query)));
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
  const unknown = await unknownWords(query);
  const results = unknown.length ? [] : await find(query);
  const better = unknown.length ? await suggestion(query, unknown) : null;
  if (ticket !== latest) return;
  shown = { query, results, next: 0 };
  list.replaceChildren();
  meta.textContent = count(results.length);
  if (better) offer(better);
  await showMore(ticket);
}

function typedIntoField(event) {
  const target = event.target;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

// What the up and down arrows move through, one at a time: the field, the filters, every
// result shown and the button that shows more.
function stops() {
  return [input, ...box.querySelectorAll('input[name="edu-search-audience"]'),
          ...list.querySelectorAll("a"), ...(more.hidden ? [] : [more])];
}

function step(from, by) {
  const all = stops();
  all[Math.max(0, Math.min(all.indexOf(from) + by, all.length - 1))].focus();
}

const isFilter = target => target.name === "edu-search-audience";

// Material's shortcuts: "/", "s" or "f" opens search; Escape closes it. Arrows move focus, even
// on a filter (where they would choose the next one): Space or Enter chooses it.
document.addEventListener("keydown", event => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (toggle.checked && event.key === "Escape") {
    event.preventDefault();
    close({ giveBack: true });
  } else if (toggle.checked && ["ArrowDown", "ArrowUp"].includes(event.key)
             && stops().includes(event.target)) {
    event.preventDefault();
    step(event.target, event.key === "ArrowDown" ? 1 : -1);
  } else if (toggle.checked && event.key === "Enter" && isFilter(event.target)) {
    event.preventDefault();  // not the form's Enter, which opens the first result
    event.target.click();
  } else if (!toggle.checked && ["/", "s", "f"].includes(event.key) && !typedIntoField(event)) {
    event.preventDefault();
    open();
  }
});

let typing;
let drawn = Promise.resolve();  // the newest search, once its results are drawn

function draw() {
  clearTimeout(typing);
  drawn = search();
  return drawn;
}

// Enter opens the first result, at its section, once the words typed so far have been searched.
async function openFirst() {
  if (shown.query !== input.value.trim()) draw();
  await drawn;
  list.querySelector("a")?.click();
}

input.addEventListener("input", () => {
  if (!toggle.checked) {  // typing into the field that Escape gave focus back to
    toggle.checked = true;
    settle();
  }
  clearTimeout(typing);
  typing = setTimeout(draw, 120);
});
input.addEventListener("focus", () => {
  if (returning) return;
  toggle.checked = true;
  settle();
  pagefind();  // start loading the engine while the reader types
});
toggle.addEventListener("change", () => {  // Material's labels: the overlay, the back arrow
  settle();
  if (toggle.checked) input.focus();
});
phone.addEventListener("change", settle);
opener?.addEventListener("click", open);
box.querySelector(".edu-search-close").addEventListener("click", () => close({ giveBack: true }));
// The panel covers the page: when the keyboard moves focus out of it, it closes.
box.addEventListener("focusout", event => {
  if (toggle.checked && event.relatedTarget && !box.contains(event.relatedTarget)) {
    toggle.checked = false;
    settle();
  }
});
box.querySelector("form").addEventListener("submit", event => {
  event.preventDefault();
  openFirst();
});
box.querySelector("form").addEventListener("reset", () => setTimeout(draw));
box.querySelector(".edu-search-filter").addEventListener("change", draw);
// Material closes the panel when the address changes; a result at the address already shown
// (the section followed before) changes nothing, and the panel would stay over the section.
list.addEventListener("click", event => { if (event.target.closest("a")) close(); });
more.addEventListener("click", () => showMore(latest));
meta.textContent = words["search.result.placeholder"];
settle();
