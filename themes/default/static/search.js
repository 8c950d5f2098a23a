// The archive's search page, on Pagefind's JavaScript API. No other requests:
// Pagefind's bundle and index are files of this site.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const tagSelect = document.getElementById("search-tag");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const text = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

let pagefind = null;
async function engine() {
  if (!pagefind) {
    pagefind = await import(form.dataset.bundle);
    await pagefind.options({ baseUrl: new URL(form.dataset.bundle, location.href).pathname.replace(/pagefind\/pagefind\.js$/, "") });
    await pagefind.init();
  }
  return pagefind;
}

function item(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const heading = document.createElement("h2");
  heading.className = "search-result-title";
  heading.appendChild(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = [data.meta.date, data.meta.outlet].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  // Pagefind's excerpt is our own page text with <mark> around matches; keep only that markup.
  excerpt.innerHTML = data.excerpt.replace(/<(?!\/?mark>)[^>]*>/g, "");
  li.append(heading, meta, excerpt);
  return li;
}

let latest = 0;
async function run(query, tag) {
  const ticket = ++latest;
  list.replaceChildren();
  if (!query.trim()) { statusLine.textContent = ""; return; }
  statusLine.textContent = form.dataset.loading;
  let search;
  try {
    const pf = await engine();
    search = await pf.search(query, tag ? { filters: { tag } } : {});
  } catch (err) {
    statusLine.textContent = form.dataset.unavailable;
    return;
  }
  if (ticket !== latest) return;
  const count = search.results.length;
  statusLine.textContent = text(count === 0 ? form.dataset.none : count === 1 ? form.dataset.one : form.dataset.results,
                                { count, query });
  const datas = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  if (ticket !== latest) return;
  list.replaceChildren(...datas.map(item));
}

function fromUrl() {
  const params = new URLSearchParams(location.search);
  return { query: params.get("q") || "", tag: params.get("tag") || "" };
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  if (input.value) params.set("q", input.value);
  if (tagSelect.value) params.set("tag", tagSelect.value);
  history.replaceState(null, "", `${location.pathname}${params.size ? "?" + params : ""}`);
  run(input.value, tagSelect.value);
});
tagSelect.addEventListener("change", () => form.requestSubmit());

// The tag list is in the page (written at build time), so choosing a tag costs
// no download until a search runs with it.
const start = fromUrl();
input.value = start.query;
tagSelect.value = start.tag;
if (start.query) run(start.query, start.tag);
