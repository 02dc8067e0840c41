/**
 * The pages' one stylesheet (served at /style.css: the CSP allows no other style). Readable without
 * it; with it, a narrow column that works on a phone, and colours with AA contrast or better.
 */
export const STYLESHEET = `:root{--ink:#1d1d1f;--muted:#50535a;--line:#d8d4cc;--paper:#fffdf8;--accent:#8a2c0d;--link:#0b4f8a;--soft:#f3efe6;
--confirmed:#1e6b34;--reported:#6b4e00;--speculation:#8a1f5c;--withdrawn:#8a1f1f}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--paper);color:var(--ink);font:1.0625rem/1.55 Georgia,"Iowan Old Style","Times New Roman",serif}
a{color:var(--link);text-underline-offset:.15em}
a:hover{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
header.site,main,footer.site{max-width:46rem;margin:0 auto;padding:0 1rem}
header.site{padding-top:1rem;border-bottom:1px solid var(--line)}
.brand{margin:0;font:700 1.05rem/1.2 system-ui,-apple-system,"Segoe UI",sans-serif;letter-spacing:.08em;text-transform:uppercase}
.brand a{color:var(--accent);text-decoration:none}
.trail ol{list-style:none;margin:.4rem 0 .8rem;padding:0;display:flex;flex-wrap:wrap;gap:.3rem;font:.9rem/1.4 system-ui,sans-serif}
.trail li+li::before{content:"›";margin-right:.3rem;color:var(--muted)}
main{padding-top:1.2rem;padding-bottom:2rem}
h1,h2,h3{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.25;overflow-wrap:anywhere}
h1{font-size:1.9rem;margin:.2rem 0 .8rem}
h2{font-size:1.35rem;margin:2.2rem 0 .8rem;padding-bottom:.3rem;border-bottom:2px solid var(--ink)}
h3{font-size:1.1rem;margin:0 0 .3rem}
h3 a{color:var(--ink)}
p,blockquote,li{overflow-wrap:anywhere}
.lede{font-size:1.15rem;color:var(--muted)}
.meta{font:.9rem/1.5 system-ui,sans-serif;color:var(--muted);margin:.2rem 0 .6rem}
.follow{font:.95rem/1.8 system-ui,sans-serif;background:var(--soft);border-left:4px solid var(--accent);padding:.4rem .8rem;margin:1rem 0}
.follow a{display:inline-block;margin-right:.6rem;font-weight:600}
.follow-label{margin-right:.4rem}
.contents ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;font:.95rem system-ui,sans-serif}
ol.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:3px solid var(--line)}
ol.timeline>li{position:relative;margin:0 0 1.8rem}
ol.timeline>li::before{content:"";position:absolute;left:-1.55rem;top:.45rem;width:.8rem;height:.8rem;border-radius:50%;background:var(--accent);border:2px solid var(--paper)}
.development .summary p{margin:.4rem 0}
.sources figure{margin:.6rem 0;padding:.1rem 0 .1rem .9rem;border-left:3px solid var(--line)}
.sources blockquote{margin:0;font-style:italic}
.sources blockquote p{margin:.2rem 0}
.sources figcaption{font:.9rem system-ui,sans-serif;color:var(--muted)}
.badge{display:inline-block;font:600 .78rem/1.5 system-ui,sans-serif;padding:0 .45rem;border-radius:.6rem;border:1px solid currentColor;white-space:nowrap;vertical-align:.1em}
.confirmed{color:var(--confirmed)}
.reported{color:var(--reported)}
.speculation{color:var(--speculation);background:#fbeef5}
.withdrawn-badge{color:#fff;background:var(--withdrawn);border-color:var(--withdrawn)}
.withdrawn>h1,.withdrawn>h3,li.withdrawn>a{text-decoration:line-through;text-decoration-thickness:1px}
.withdrawn .summary,.withdrawn .sources{color:var(--muted)}
.withdrawn-note{border:1px solid var(--withdrawn);background:#fbeeee;padding:.4rem .7rem;font:.95rem system-ui,sans-serif}
.corrections ul{list-style:none;margin:.6rem 0;padding:.4rem .7rem;background:#eef4fb;border:1px solid #b9cde3;font:.92rem/1.5 system-ui,sans-serif}
.changed{display:block;color:var(--muted)}
.tags{font:.88rem/1.6 system-ui,sans-serif;color:var(--muted);margin:.2rem 0}
.tags ul{display:inline;list-style:none;padding:0;margin:0}
.tags li{display:inline}
.tags li+li::before{content:", "}
.visit{border:1px solid var(--line);border-radius:.4rem;padding:.7rem .9rem;margin:0 0 1rem;background:#fff}
.steps{margin:.3rem 0 0;padding-left:1.3rem;font:.95rem/1.6 system-ui,sans-serif}
.status-planned,.status-rescheduled{color:var(--reported)}
.status-cancelled{color:var(--withdrawn)}
.status-took-place,.status-signed,.status-pledged{color:var(--confirmed)}
.status-interest,.status-stalled{color:var(--muted)}
ul.plain,ol.plain{list-style:none;padding:0}
ul.plain>li,ol.plain>li{margin:0 0 .9rem}
.stories>li{border-bottom:1px solid var(--line);padding-bottom:.6rem}
.stories h2{border:0;margin-top:1rem}
.neighbours ul{list-style:none;padding:0;display:grid;gap:.6rem;grid-template-columns:1fr 1fr}
.neighbours li{border:1px solid var(--line);border-radius:.4rem;padding:.5rem .7rem;background:#fff}
.neighbours .next{text-align:right;grid-column:2}
.pages{font:.95rem/1.6 system-ui,sans-serif;margin:1.5rem 0}
.pages a[rel]{font-weight:600}
.page-list{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.page-list [aria-current]{font-weight:600}
.dir{display:block;font:600 .8rem system-ui,sans-serif;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
form.subscribe{font:1rem/1.4 system-ui,sans-serif}form.subscribe label{margin-right:1rem}form.subscribe input[type=email]{font:inherit;padding:.35rem .5rem;border:1px solid var(--muted);border-radius:3px;width:min(100%,22rem)}form.subscribe fieldset{border:0;padding:0;margin:.5rem 0}form.subscribe legend{padding:0;font-weight:600}form.subscribe button{font:inherit;font-weight:600;padding:.4rem 1rem;border:1px solid var(--muted);border-radius:3px;background:var(--bg, #fff);color:inherit;cursor:pointer}
footer.site{border-top:1px solid var(--line);padding-top:.6rem;padding-bottom:2rem;font:.9rem/1.5 system-ui,sans-serif;color:var(--muted)}
@media (max-width:32rem){body{font-size:1rem}h1{font-size:1.5rem}.neighbours ul{grid-template-columns:1fr}.neighbours .next{grid-column:1;text-align:left}}
@media print{.follow,.contents,.neighbours,.pages,footer.site{display:none}}
`;
