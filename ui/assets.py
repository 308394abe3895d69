"""Theme, CSS and the little JavaScript the page needs. All local: no fonts or scripts from a CDN."""

from __future__ import annotations

import json

import gradio as gr

from ui import i18n

# System fonts only (strings, not gr.themes.GoogleFont): the page must not fetch anything from outside.
SANS = ["Noto Sans CJK TC", "Noto Sans CJK SC", "Noto Sans", "ui-sans-serif", "system-ui", "sans-serif"]
MONO = ["Noto Sans Mono CJK TC", "ui-monospace", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Default(primary_hue="blue", font=SANS, font_mono=MONO)


CSS = """
:root { --hk-mark-bg: #fff3a3; --hk-mark-fg: #1f2328; --hk-badge-bg: var(--primary-100);
  --hk-badge-fg: var(--primary-800); --hk-accent: var(--primary-600); }
.dark { --hk-mark-bg: #6b5a00; --hk-mark-fg: #fff8d6; --hk-badge-bg: var(--primary-800);
  --hk-badge-fg: var(--primary-100); --hk-accent: var(--primary-300); }
.hkpqa-hidden { display: none !important; }
/* Gradio's own pending-event texts ("queue: 1/2 |", "processing |", "0.4/1.2s") come in English only, whatever the
   page's language: hidden; the pending overlay and its spinner stay, and the page's own status lines speak. */
.progress-text, .meta-text, .meta-text-center { display: none !important; }
#index-status .building { color: var(--body-text-color-subdued); }
#index-status .failed { color: var(--error-text-color); font-weight: 600; }
#answer-status { min-height: 1.5em; font-size: var(--text-sm); }
.mode-badge { display: inline-block; padding: 1px 8px; border-radius: 999px; background: var(--hk-badge-bg);
  color: var(--hk-badge-fg); font-weight: 600; }
.timing { color: var(--body-text-color-subdued); margin-left: 6px; }
.resolved { color: var(--body-text-color-subdued); margin-top: 2px; }
.answer-warning { color: var(--body-text-color-subdued); }
.src-caption { font-weight: 600; margin-bottom: 6px; }
.src-empty { color: var(--body-text-color-subdued); padding: 8px; }
.src-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin: 0 0 10px;
  background: var(--background-fill-secondary); }
.src-card.flash { outline: 3px solid var(--primary-400); }
.src-head { font-size: var(--text-md); }
.src-n { color: var(--hk-accent); font-weight: 700; }
.src-doc, .src-title-en { color: var(--body-text-color-subdued); font-size: var(--text-sm); }
.src-year { font-weight: 600; }
.src-section { font-weight: 600; margin: 4px 0; }
.src-text { font-size: var(--text-sm); line-height: 1.6; max-height: 12em; overflow-y: auto; }
.src-text mark { background: var(--hk-mark-bg); color: var(--hk-mark-fg); padding: 0 1px; }
.copy-cite, .copy-answer { margin-top: 6px; padding: 2px 10px; border: 1px solid var(--border-color-primary);
  border-radius: 6px; background: var(--button-secondary-background-fill); color: var(--body-text-color);
  cursor: pointer; font-size: var(--text-sm); }
a.cite { text-decoration: none; font-weight: 600; color: var(--hk-accent); }
""" + "\n".join([i18n.css_texts(".copy-answer", "answer.copy"), i18n.css_texts(".copy-answer.copied", "answer.copied")])

# js_on_load of the source-card panel: one delegated listener copies a card's citation line, and new cards
# start scrolled to the top.
COPY_CITATION_JS = """
watch('value', () => { const box = element.closest('.html-container') || element.parentElement;
  if (box) box.scrollTop = 0;
  requestAnimationFrame(() => element.querySelectorAll('.src-card').forEach((card) => window.hkpqaRevealQuote(card)));
});
element.addEventListener('click', (event) => {
  const button = event.target.closest('.copy-cite');
  if (!button) return;
  const text = button.dataset.cite || '';
  window.hkpqaCopy(text, () => { const label = button.textContent; button.textContent = '✓';
    button.dataset.copied = text; setTimeout(() => { button.textContent = label; }, 1200); });
});
"""

# js of the hidden "cite-open" button's click: the answer whose [n] was clicked (see HEAD), for the turn picker.
CITED_TURN_JS = "(current) => [window.hkpqaCitedTurn ?? current]"

# Page-level: a citation marker [n] in any answer scrolls to its source card (first showing that answer's cards
# through the hidden "cite-open" button when another answer's are shown) instead of navigating away; "copy answer"
# copies the clean text the button carries; a card's quote is scrolled into view inside the card's scroll box.
HEAD = """
<script>
// Gradio picks the locale of its own texts (upload box, footer) from navigator.language when it starts, and knows
// zh-TW and zh-CN but not zh-HK: it is given the member's language instead, and told when the member switches.
(() => {
  const locales = GRADIO_LOCALES;
  const key = 'hkpqa-gradio-locale';
  const browser = () => {
    for (const raw of navigator.languages || [navigator.language || '']) {
      const l = (raw || '').toLowerCase();
      if (l.startsWith('zh')) return /hans|-cn|-sg/.test(l) ? 'zh-CN' : 'zh-TW';
      if (l.startsWith('en')) return 'en';
    }
    return 'zh-TW';
  };
  let stored = null;
  try { stored = localStorage.getItem(key); } catch (e) { stored = null; }
  const locale = stored || browser();
  const ours = Object.keys(locales).find((code) => locales[code] === locale) || 'zh-Hant';
  document.documentElement.dataset.hkpqaLang = ours;  // until the picker's own value arrives
  try {
    Object.defineProperty(navigator, 'language', {get: () => locale, configurable: true});
    Object.defineProperty(navigator, 'languages', {get: () => [locale], configurable: true});
  } catch (e) { /* Gradio then follows the browser */ }
  window.hkpqaSetLanguage = (code) => {
    document.documentElement.dataset.hkpqaLang = code || 'zh-Hant';
    const next = locales[code];
    if (!next) return;
    try { localStorage.setItem(key, next); } catch (e) { /* private mode: next visit follows the browser */ }
    // Gradio's core module exports changeLocale; it is already loaded, so importing it again gives the same one.
    const core = performance.getEntriesByType('resource').map((r) => r.name)
      .find((name) => /\\/assets\\/core-[\\w-]+\\.js$/.test(name));
    if (core) import(core).then((m) => m.changeLocale && m.changeLocale(next)).catch(() => {});
  };
})();
window.hkpqaCopy = (text, done) => {
  const fallback = () => { const area = document.createElement('textarea'); area.value = text;
    document.body.appendChild(area); area.select(); document.execCommand('copy'); area.remove(); done(); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else { fallback(); }
};
window.hkpqaRevealQuote = (card) => {
  const box = card.querySelector('.src-text');
  const mark = box && box.querySelector('mark');
  if (!mark) return;
  const offset = mark.getBoundingClientRect().top - box.getBoundingClientRect().top;
  box.scrollTop = Math.max(0, box.scrollTop + offset - box.clientHeight / 3);
};
window.hkpqaShowCard = (card) => {
  card.scrollIntoView({behavior: 'smooth', block: 'center'});
  window.hkpqaRevealQuote(card);
  card.classList.add('flash');
  setTimeout(() => card.classList.remove('flash'), 1500);
};
document.addEventListener('click', (event) => {
  const copy = event.target.closest && event.target.closest('button.copy-answer');
  if (copy) {
    event.preventDefault();
    const text = copy.value || '';  // the chat's sanitizer keeps value, not data-* attributes
    window.hkpqaCopy(text, () => { copy.dataset.copied = text; copy.classList.add('copied');
      setTimeout(() => copy.classList.remove('copied'), 1200); });
    return;
  }
  const link = event.target.closest && event.target.closest('a.cite');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const id = (link.getAttribute('href') || '').slice(1);
  const card = document.getElementById(id);
  // with Shift or a double click, the card's source also opens in the document viewer (ui.viewer)
  const openView = event.shiftKey || event.detail > 1;
  const show = (shown) => { window.hkpqaShowCard(shown);
    const view = openView && shown.querySelector('.view-doc'); if (view) view.click(); };
  if (card) { show(card); return; }
  const turn = Number((id.match(/^src-(\\d+)-/) || [])[1]);
  const opener = document.querySelector('#cite-open');
  if (!Number.isInteger(turn) || !opener) return;
  window.hkpqaCitedTurn = turn;
  (opener.tagName === 'BUTTON' ? opener : opener.querySelector('button')).click();
  const started = Date.now();
  const wait = setInterval(() => {
    const shown = document.getElementById(id);
    if (shown || Date.now() - started > 10000) { clearInterval(wait); if (shown) show(shown); }
  }, 100);
}, true);
</script>
""".replace("GRADIO_LOCALES", json.dumps(i18n.GRADIO_LOCALES))
