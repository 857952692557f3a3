import { HEALTH_CLASSES, LICENSE_CATEGORIES } from '../../core/model.js';
import { CATEGORY_STYLE, HEALTH_STYLE } from './categories.js';

/** The report's stylesheet, inlined. Text colours keep at least 4.5:1 against their background (WCAG AA). */
export const STYLES = `
:root{--fg:#1f2328;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--border:#d0d7de;--link:#0550ae;--focus:#0969da;--head:#0b2e4f}
*{box-sizing:border-box}
html{scroll-padding-top:3.5rem}
body{margin:0;color:var(--fg);background:var(--bg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--link)}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:var(--panel);border:1px solid var(--border);padding:.5rem;overflow:auto;white-space:pre-wrap}
.wrap{max-width:1320px;margin:0 auto;padding:0 1.5rem}
.skip{position:absolute;left:-999px;top:0;background:#fff;color:var(--link);padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
header.top{background:var(--head);color:#fff;padding:1rem 0}
header.top h1{margin:0;font-size:1.6rem}
header.top p{margin:.25rem 0 0;color:#dbe4ee}
nav.sections{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--border)}
nav.sections ul{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;margin:0;padding:.5rem 0}
main{padding-bottom:2rem}
main:focus{outline:none}
section{margin-top:2rem}
h2{font-size:1.35rem;border-bottom:1px solid var(--border);padding-bottom:.25rem}
h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:.75rem;margin:0}
.figure{border:1px solid var(--border);border-radius:6px;padding:.75rem 1rem;background:var(--panel)}
.figure dt{color:var(--muted);font-weight:600}
.figure dd{margin:0}
.figure a{text-decoration:none;color:inherit}
.figure a:hover .big{text-decoration:underline}
.big{display:block;font-size:2rem;font-weight:700;line-height:1.2;font-variant-numeric:tabular-nums}
.figures.small{grid-template-columns:repeat(auto-fill,minmax(150px,1fr))}
.figures.small .big{font-size:1.5rem}
.sub{display:block;color:var(--muted);font-size:.85rem}
.pair{display:grid;grid-template-columns:1fr;gap:1.5rem;align-items:start}
@media (min-width:1000px){.pair{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
figure{margin:0}
figcaption{color:var(--muted);font-size:.85rem}
svg.chart{width:100%;max-width:640px;height:auto;display:block}
svg.chart text{font-size:13px;fill:var(--fg)}
.table-scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:14px}
table.narrow{width:auto;min-width:24rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid var(--border);padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
thead th{background:var(--panel);white-space:nowrap}
tbody th{font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}
.id{display:block;color:var(--muted);font-weight:400;font-size:.85em}
.more{color:var(--muted);font-size:.9rem}
.cat,.health{display:inline-block;border-radius:3px;padding:0 .4rem;color:#fff;font-size:.8rem;font-weight:600;white-space:nowrap}
${LICENSE_CATEGORIES.map((c) => `.cat-${c}{background:${CATEGORY_STYLE[c].color}}`).join('\n')}
${HEALTH_CLASSES.map((h) => `.health-${h}{background:${HEALTH_STYLE[h].color}}`).join('\n')}
.health[title]{cursor:help}
ol.options,ul.reasons{margin:0;padding-left:1.25rem}
ol.options li{margin-bottom:.35rem}
.tag{display:inline-block;border:1px solid var(--border);border-radius:3px;padding:0 .3rem;font-size:.75rem;color:var(--muted)}
.sev-error{color:#b91c1c;font-weight:600}
.sev-warning{color:#8a4600;font-weight:600}
.controls{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:.5rem 0}
.control{display:flex;flex-direction:column;font-size:.85rem;font-weight:600}
.control input,.control select{font:inherit;font-weight:400;font-size:14px;padding:.3rem .4rem;border:1px solid #6e7781;border-radius:4px;background:#fff;color:var(--fg);max-width:22rem}
.control input[type=search]{width:20rem}
.status{margin:.25rem 0;color:var(--muted)}
th[aria-sort] button,th button.sort{all:unset;cursor:pointer;display:inline-flex;gap:.25rem;align-items:center;font-weight:600}
th button.sort:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
th button.sort::after{content:"\\2195";color:var(--muted);font-size:.8em}
th[aria-sort=ascending] button.sort::after{content:"\\25B2";color:var(--fg)}
th[aria-sort=descending] button.sort::after{content:"\\25BC";color:var(--fg)}
td.expand-cell{width:2rem;padding:.2rem}
button.expand{font:inherit;width:1.8rem;height:1.8rem;border:1px solid var(--border);border-radius:4px;background:#fff;color:var(--fg);cursor:pointer}
button.expand::before{content:"\\25B8"}
button.expand[aria-expanded=true]::before{content:"\\25BE"}
tr.open>*{background:#eef4fb}
tr.detail>td{background:#fbfcfd;padding:.75rem 1rem 1rem}
.detail-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:.5rem 2rem}
.detail-grid .wide{grid-column:1/-1}
.detail-grid h3{font-size:1rem;margin:.25rem 0}
.detail-grid dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem;margin:0}
.detail-grid dt{color:var(--muted);font-weight:600}
.detail-grid dd{margin:0;overflow-wrap:anywhere}
.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.pager{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
.pager button{font:inherit;font-size:14px;padding:.25rem .75rem;border:1px solid #6e7781;border-radius:4px;background:#fff;color:var(--fg);cursor:pointer}
.pager button:disabled{color:#6e7781;cursor:default;border-color:var(--border)}
details{margin:.5rem 0}
summary{cursor:pointer;font-weight:600}
footer{border-top:1px solid var(--border);color:var(--muted);font-size:.85rem;padding:1rem 0 2rem}
@media print{nav.sections,.controls,.pager,button.expand{display:none}}
`;
