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
    let height = bars.reduce((sum, bar) => sum + (bar ? bar.getBoundingClientRect().height : 0), 0);
    const backToTop = document.querySelector(".md-top");  // shown at the top while scrolling up
    if (backToTop) height = Math.max(height, parseFloat(getComputedStyle(backToTop).top) + 40);
    document.documentElement.style.setProperty("--edu-sticky", `${Math.ceil(height)}px`);
  }

  window.addEventListener("pageshow", event => { if (event.persisted) closeToggles(); });
  window.addEventListener("resize", padForStickyBars);
  // on paper nobody can open the review line: print it opened (print.css does the same)
  window.addEventListener("beforeprint", () => {
    const review = document.getElementById("edu-review");
    if (review) review.open = true;
  });
  padForStickyBars();
  closeToggles();
  offerRemembered();
})();
