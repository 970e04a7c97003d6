/* Reader conveniences. The audience choice stays in this browser (localStorage, no cookie,
   nothing is sent anywhere), so the site needs no consent banner. Without JavaScript every
   link still works; the page only loses these extras. */
(() => {
  "use strict";
  const STORE = "edu-audience";

  function remembered() {
    try { return localStorage.getItem(STORE); } catch { return null; }  // storage can be blocked
  }

  function remember(audience) {
    try { localStorage.setItem(STORE, audience); } catch { /* the site works without it */ }
  }

  // The section being read: the last section heading above the upper third of the window.
  function currentSection() {
    let found = "";
    for (const heading of document.querySelectorAll("article h2[id]")) {
      if (heading.getBoundingClientRect().top > window.innerHeight / 3) break;
      found = heading.id;
    }
    return found;
  }

  // Opening an audience's version is choosing that audience. From a topic's switch the reader
  // also keeps the section: matching sections share an id across versions (docs/authoring.md),
  // and an id the other version lacks simply opens it at the top.
  document.addEventListener("click", event => {
    const link = event.target.closest("a[data-audience]");
    if (!link) return;
    remember(link.dataset.audience);
    if (link.closest("#edu-audience-switch")) link.hash = currentSection();
  });

  // The language switch: the choice is remembered like the audience, and the same page in the
  // other language opens at the section being read (translations keep the English ids).
  const LANGUAGE = "edu-language";
  document.addEventListener("click", event => {
    const link = event.target.closest("a.edu-language");
    if (!link) return;
    try { localStorage.setItem(LANGUAGE, link.lang); } catch { /* works without it */ }
    if (link.dataset.eduSame === "true") link.hash = currentSection();
  });

  // A reader who chose another language before sees that choice marked in the switch.
  function markChosenLanguage() {
    let chosen = null;
    try { chosen = localStorage.getItem(LANGUAGE); } catch { return; }
    if (!chosen || chosen === document.documentElement.lang) return;
    for (const link of document.querySelectorAll("a.edu-language")) {
      if (link.lang === chosen) link.dataset.eduChosen = "true";
    }
  }

  // Home page: a returning reader is offered their version first; the chooser stays below.
  function offerRemembered() {
    const chooser = document.getElementById("edu-audience-chooser");
    const audience = remembered();
    const card = chooser && [...chooser.querySelectorAll("a[data-audience]")]
      .find(link => link.dataset.audience === audience);
    if (!card) return;
    card.setAttribute("aria-current", "true");
    const link = document.createElement("a");
    link.href = card.href;
    link.dataset.audience = audience;
    const words = JSON.parse(document.getElementById("edu-words").textContent);
    link.textContent = words.go_to_topics.replace("{audience}", card.querySelector("strong").textContent);
    const offer = document.createElement("p");
    offer.id = "edu-welcome-back";
    offer.append(`${words.welcome_back} `, link);
    document.querySelector("article h1").after(offer);
  }

  // Material's drawer and search toggles are checkboxes; a browser that restores form state
  // after a reload or "back" would reopen them (templates/theme/base.html), so they start shut.
  function closeToggles() {
    for (const id of ["__drawer", "__search"]) {
      const toggle = document.getElementById(id);
      if (toggle && toggle.checked) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
      }
    }
  }

  // Focus moved by the keyboard must land below the sticky header and audience switch
  // (scroll-margin in edu.css, WCAG 2.4.11); their height changes with the window's width.
  function padForStickyBars() {
    const bars = [document.querySelector(".md-header"), document.getElementById("edu-audience-switch")];
    const height = bars.reduce((sum, bar) => sum + (bar ? bar.getBoundingClientRect().height : 0), 0);
    document.documentElement.style.setProperty("--edu-sticky", `${Math.ceil(height)}px`);
  }

  // "Back to top" floats in a corner (edu.css), where the page can still scroll a link or the
  // footer under it: then it steps aside, so a tap always reaches the control the reader sees.
  const CONTROLS = ["a", "button", "input", "select", "textarea", "summary", "label", "[role=button]",
                    "[tabindex]:not([tabindex='-1'])"].join();
  function clearBackToTop() {
    const button = document.querySelector(".md-top");
    if (!button || button.hidden) return;
    button.classList.remove("edu-top--covering");
    const box = button.getBoundingClientRect();
    if (!box.width) return;  // not shown at this width
    const covers = [...document.querySelectorAll(CONTROLS)].some(control => {
      if (control === button || button.contains(control) || !control.getClientRects().length) return false;
      const other = control.getBoundingClientRect();
      return other.left < box.right && other.right > box.left && other.top < box.bottom && other.bottom > box.top;
    });
    button.classList.toggle("edu-top--covering", covers);
  }
  let clearing = 0;
  function clearBackToTopSoon() {
    cancelAnimationFrame(clearing);
    clearing = requestAnimationFrame(clearBackToTop);
  }
  const backToTop = document.querySelector(".md-top");
  if (backToTop) new MutationObserver(clearBackToTopSoon).observe(backToTop, {attributes: true});

  // Touch: a glossary term or a "not yet checked" mark is a link that leaves the page. A first
  // tap shows what it means in place; a second tap on it follows the link (to the glossary or
  // the note). A mouse or keyboard follows at once (a mouse has the tooltip on hover).
  const DEFINED = "abbr.edu-term a, sup.edu-unverified a, sup.edu-sign-unverified a";
  let pointer = "";
  let shown = null;  // {link, box}
  document.addEventListener("pointerdown", event => { pointer = event.pointerType; }, true);

  // Material's tooltip takes a term's title away while it shows it, so the titles are kept here
  const definitions = new Map([...document.querySelectorAll("abbr.edu-term[title]")]
    .map(term => [term, term.title]));
  function meaning(link) {
    const term = link.closest("abbr.edu-term");
    if (term && definitions.has(term)) return definitions.get(term);
    const note = link.hash && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    return note ? note.textContent.trim() : link.title;
  }

  function hideMeaning() {
    if (!shown) return;
    shown.box.remove();
    shown.link.removeAttribute("aria-describedby");
    shown = null;
  }

  function showMeaning(link) {
    hideMeaning();
    const box = document.createElement("div");
    box.id = "edu-meaning";
    box.className = "edu-meaning";
    box.setAttribute("role", "tooltip");
    box.textContent = meaning(link);
    document.body.append(box);
    const line = link.getClientRects()[0] || link.getBoundingClientRect();
    const width = box.offsetWidth;
    const left = Math.min(Math.max(line.left, 8), document.documentElement.clientWidth - width - 8);
    box.style.left = `${left + window.scrollX}px`;
    box.style.top = `${line.bottom + window.scrollY + 6}px`;
    link.setAttribute("aria-describedby", box.id);
    shown = {link, box};
  }

  document.addEventListener("click", event => {
    const link = event.target.closest(DEFINED);
    if (shown && !(link && link === shown.link) && !event.target.closest(".edu-meaning")) hideMeaning();
    if (!link || pointer !== "touch") return;
    if (shown && shown.link === link) { hideMeaning(); return; }  // the second tap follows
    event.preventDefault();
    showMeaning(link);
  }, true);
  document.addEventListener("keydown", event => { if (event.key === "Escape") hideMeaning(); });
  window.addEventListener("resize", hideMeaning);

  window.addEventListener("pageshow", event => { if (event.persisted) closeToggles(); });
  window.addEventListener("resize", padForStickyBars);
  window.addEventListener("scroll", clearBackToTopSoon, {passive: true});
  // on paper nobody can open the review line: print it opened (print.css does the same)
  window.addEventListener("beforeprint", () => {
    const review = document.getElementById("edu-review");
    if (review) review.open = true;
  });
  padForStickyBars();
  closeToggles();
  offerRemembered();
  markChosenLanguage();
})();
