"""Theme, CSS and the little JavaScript the page needs. All local: no fonts or scripts from a CDN."""

from __future__ import annotations

import gradio as gr

# System fonts only (strings, not gr.themes.GoogleFont): the page must not fetch anything from outside.
SANS = ["Noto Sans CJK TC", "Noto Sans CJK SC", "Noto Sans", "ui-sans-serif", "system-ui", "sans-serif"]
MONO = ["Noto Sans Mono CJK TC", "ui-monospace", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Default(primary_hue="blue", font=SANS, font_mono=MONO)


CSS = """
#index-status .building { color: var(--body-text-color-subdued); }
#index-status .failed { color: var(--error-text-color); font-weight: 600; }
#answer-status { min-height: 1.5em; font-size: var(--text-sm); }
.mode-badge { display: inline-block; padding: 1px 8px; border-radius: 999px; background: var(--primary-100);
  color: var(--primary-800); font-weight: 600; }
.timing { color: var(--body-text-color-subdued); margin-left: 6px; }
.resolved { color: var(--body-text-color-subdued); margin-top: 2px; }
.answer-warning { color: var(--body-text-color-subdued); }
.src-caption { font-weight: 600; margin-bottom: 6px; }
.src-empty { color: var(--body-text-color-subdued); padding: 8px; }
.src-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin: 0 0 10px;
  background: var(--background-fill-secondary); }
.src-card.flash { outline: 3px solid var(--primary-400); }
.src-head { font-size: var(--text-md); }
.src-n { color: var(--primary-600); font-weight: 700; }
.src-doc, .src-title-en { color: var(--body-text-color-subdued); font-size: var(--text-sm); }
.src-year { font-weight: 600; }
.src-section { font-weight: 600; margin: 4px 0; }
.src-text { font-size: var(--text-sm); line-height: 1.6; max-height: 12em; overflow-y: auto; }
.src-text mark { background: #fff3a3; color: inherit; padding: 0 1px; }
.copy-cite { margin-top: 6px; padding: 2px 10px; border: 1px solid var(--border-color-primary); border-radius: 6px;
  background: var(--button-secondary-background-fill); cursor: pointer; font-size: var(--text-sm); }
a.cite { text-decoration: none; font-weight: 600; }
"""

# js_on_load of the source-card panel: one delegated listener copies a card's citation line, and new cards
# start scrolled to the top.
COPY_CITATION_JS = """
watch('value', () => { const box = element.closest('.html-container') || element.parentElement;
  if (box) box.scrollTop = 0; });
element.addEventListener('click', (event) => {
  const button = event.target.closest('.copy-cite');
  if (!button) return;
  const text = button.dataset.cite || '';
  const done = () => { const label = button.textContent; button.textContent = '✓'; button.dataset.copied = text;
    setTimeout(() => { button.textContent = label; }, 1200); };
  const fallback = () => { const area = document.createElement('textarea'); area.value = text;
    document.body.appendChild(area); area.select(); document.execCommand('copy'); area.remove(); done(); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else { fallback(); }
});
"""

# Page-level: a citation marker [n] in the chat scrolls to its source card instead of navigating away; with Shift
# or a double click it also opens the card's source in the document viewer (ui.viewer).
HEAD = """
<script>
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a.cite');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const card = document.getElementById((link.getAttribute('href') || '').slice(1));
  if (!card) return;
  card.scrollIntoView({behavior: 'smooth', block: 'center'});
  card.classList.add('flash');
  setTimeout(() => card.classList.remove('flash'), 1500);
  const view = (event.shiftKey || event.detail > 1) && card.querySelector('.view-doc');
  if (view) view.click();
}, true);
</script>
"""
