// The archive's search page, on Pagefind's JavaScript API. No other requests:
// Pagefind's bundle and index are files of this site.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
// The menus: each one's name is a Pagefind filter of the story pages (tag, source, year), but "sort".
const menus = ["tag", "source", "year", "sort"].map((name) => document.getElementById(`search-${name}`)).filter(Boolean);
const SORTS = { newest: { date: "desc" }, oldest: { date: "asc" } };
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const lang = document.documentElement.lang || "en";
const plural = new Intl.PluralRules(lang);  // "1 story", "0 article" in French
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
// A query, or none with a filter chosen (every story of an outlet, say), newest first unless asked otherwise.
async function run(query, choices) {
  const ticket = ++latest;
  list.replaceChildren();
  const filters = {};
  for (const [name, value] of Object.entries(choices)) if (name !== "sort" && value) filters[name] = value;
  const filtered = Object.keys(filters).length > 0;
  if (!query.trim() && !filtered) { statusLine.textContent = ""; return; }
  const options = { filters };
  const sort = SORTS[choices.sort] || (query.trim() ? null : SORTS.newest);
  if (sort) options.sort = sort;
  statusLine.textContent = form.dataset.loading;
  let search;
  try {
    const pf = await engine();
    search = await pf.search(query.trim() || null, options);
  } catch (err) {
    statusLine.textContent = form.dataset.unavailable;
    return;
  }
  if (ticket !== latest) return;
  const count = search.results.length;
  const one = plural.select(count) === "one";
  const message = !query.trim() ? (one ? form.dataset.listedOne : form.dataset.listed)
    : count === 0 ? form.dataset.none : one ? form.dataset.one : form.dataset.results;
  statusLine.textContent = text(message, { count: count.toLocaleString(lang), query });
  const datas = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  if (ticket !== latest) return;
  list.replaceChildren(...datas.map(item));
}

function choices() {
  return Object.fromEntries(menus.map((menu) => [menu.name, menu.value]));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  if (input.value) params.set("q", input.value);
  for (const [name, value] of Object.entries(choices())) if (value) params.set(name, value);
  history.replaceState(null, "", `${location.pathname}${params.size ? "?" + params : ""}`);
  run(input.value, choices());
});
for (const menu of menus) menu.addEventListener("change", () => form.requestSubmit());

// The menus are in the page (written at build time), so choosing one costs
// no download until a search runs with it.
const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const menu of menus) menu.value = params.get(menu.name) || "";
if (input.value || menus.some((menu) => menu.name !== "sort" && menu.value)) run(input.value, choices());
