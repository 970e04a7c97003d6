/* Where a search result opens, and the words it shows: the section of its page that best
   answers the query. Pagefind makes a sub-result of each heading with an id that holds a match;
   "when to call" opens the patient page at "When to call your care team", and "chest pain"
   shows the line about chest pain, not the section's densest run of "pain". Used by
   edu-search.js. */

const EXCERPT_WORDS = 24;  // as long as Pagefind's excerpts (excerptLength in edu-search.js)
const LEAD_IN = 6;  // words shown before the first match, to read it in its sentence

// The words of the page as Pagefind counts them: its locations are indexes into this list.
function pageWords(data) {
  return data.content.split(/[\r\n\s]+/g);
}

// Pagefind also finds a word's other forms ("numb": "numbness"; "legs": "leg"): a found word
// counts for the query word it shares its start with.
function termOf(word, terms) {
  const letters = (word ?? "").toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
  return terms.find(term => {
    let shared = 0;
    while (shared < letters.length && letters[shared] === term[shared]) shared++;
    return shared > 0 && shared >= Math.min(letters.length, term.length, 4);
  });
}

// A section's words: from its heading to the next heading (any of the page's headings, as
// Pagefind lists only the sections holding a match).
function wordRange(section, data, words) {
  const start = section.anchor?.location ?? 0;
  const later = (data.anchors ?? []).filter(a => /^h[1-6]$/.test(a.element) && a.location > start);
  return [start, Math.min(words.length, ...later.map(a => a.location))];
}

// Its matches with the query word each stands for, the most query words, then the heaviest
// matches (a heading's words weigh most, in Pagefind's weighting).
function measure(section, data, words, terms) {
  const hits = section.locations.map(at => ({ at, term: termOf(words[at], terms) }));
  const found = new Set(hits.map(hit => hit.term).filter(Boolean)).size;
  const weight = section.weighted_locations.reduce((sum, w) => sum + w.balanced_score, 0);
  return { section, hits, found, weight, range: wordRange(section, data, words) };
}

// The run of words within the section holding the most query words, then the most matches.
function excerptRange({ hits, range: [first, end] }) {
  let best = { start: first, found: 0, count: 0 };
  for (const hit of hits) {
    const near = hits.filter(h => h.at >= hit.at && h.at < hit.at + EXCERPT_WORDS - LEAD_IN);
    const found = new Set(near.map(h => h.term).filter(Boolean)).size;
    if (found > best.found || (found === best.found && near.length > best.count)) {
      best = { start: hit.at, found, count: near.length };
    }
  }
  const stop = Math.min(end, Math.max(best.start - LEAD_IN, first) + EXCERPT_WORDS);
  return [Math.max(first, stop - EXCERPT_WORDS), stop];
}

// The excerpt as text nodes and <mark>s: Pagefind's page text is not escaped, so no HTML.
function excerpt(match, words) {
  const [start, stop] = excerptRange(match);
  const marked = new Set(match.hits.map(hit => hit.at));
  const parts = start > match.range[0] ? ["… "] : [];
  for (let at = start; at < stop; at++) {
    if (at > start) parts.push(" ");
    if (marked.has(at)) {
      const mark = document.createElement("mark");
      mark.textContent = words[at];
      parts.push(mark);
    } else {
      parts.push(words[at]);
    }
  }
  if (stop < match.range[1]) parts.push(" …");
  return parts;
}

// The page's opening (its title and short answer) is the page itself: no section to name.
function isOpening(section, data) {
  return !section.anchor || section.anchor.element === "h1" || section.url === data.url;
}

/* The link a result opens, the section's title (none for the page's opening) and its excerpt
   (a list of nodes and strings); none when Pagefind gives no sections. */
export function bestSection(data, terms) {
  const words = pageWords(data);
  const ranked = (data.sub_results ?? []).map(section => measure(section, data, words, terms));
  ranked.sort((a, b) => b.found - a.found || b.weight - a.weight);
  const best = ranked[0];
  if (!best) return null;
  const opening = isOpening(best.section, data);
  return { url: opening ? data.url : best.section.url, title: opening ? null : best.section.title,
           excerpt: excerpt(best, words) };
}
