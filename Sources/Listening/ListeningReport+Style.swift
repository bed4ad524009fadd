/// The report's stylesheet, inlined into `<head>`. Only generic and locally installed font families (no
/// @font-face, no url()), colours that meet WCAG AA on their backgrounds, a visible focus ring, and a print
/// layout for A4 that drops the interactive parts and keeps tables and quotes from splitting across pages.
extension ListeningReport {
    static let style = #"""
        :root{--ink:#1a1a1a;--muted:#4a4f57;--accent:#0b5394;--line:#d3d7dd;--bg:#f3f4f6;--soft:#f7f8fa;--focus:#e37400;--c:#0b5394}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Hiragino Kaku Gothic ProN","Yu Gothic UI","Meiryo",sans-serif;
          color:var(--ink);background:var(--bg);line-height:1.75;font-size:16px}
        [id]{scroll-margin-top:64px}
        a{color:var(--accent)}
        :focus-visible{outline:3px solid var(--focus);outline-offset:2px}
        .skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px 10px;z-index:10}
        .wrap{max-width:1100px;margin:0 auto;padding:0 28px}
        .report-head{background:#0b2e59;color:#fff;padding:30px 0 26px}
        .kicker{margin:0;font-size:.85rem;letter-spacing:.12em;color:#d4e0f0}
        h1{margin:.25em 0 .2em;font-size:2rem;line-height:1.35;font-weight:700}
        .head-meta{margin:0;font-size:.95rem;color:#d4e0f0;font-variant-numeric:tabular-nums}
        .toc{background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:5;box-shadow:0 1px 4px rgba(0,0,0,.06)}
        .toc ol{list-style:none;display:flex;flex-wrap:wrap;gap:2px 22px;margin:0;padding:10px 0}
        .toc a{text-decoration:none;font-size:.92rem;font-weight:600}.toc a:hover{text-decoration:underline}
        main{max-width:1100px;margin:0 auto;padding:28px}
        .card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:26px 32px;margin:0 0 28px}
        h2{font-size:1.45rem;line-height:1.4;margin:0 0 14px;padding:0 0 8px;border-bottom:3px solid var(--accent)}
        h3{font-size:1.15rem;line-height:1.45;margin:26px 0 10px}
        h4{font-size:1.05rem;line-height:1.45}
        .note{color:var(--muted);font-size:.92rem;margin:0 0 14px}
        .lead p{font-size:1.06rem;margin:0 0 .7em}
        .stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:22px 0}
        .stat{border:1px solid var(--line);border-top:4px solid var(--accent);border-radius:6px;padding:10px 14px 12px;background:var(--soft)}
        .stat dt{font-size:.86rem;color:var(--muted);font-weight:700}
        .stat dd{margin:0}
        .stat-value{display:block;font-size:1.75rem;font-weight:700;line-height:1.3;font-variant-numeric:tabular-nums}
        .stat-note{display:block;font-size:.78rem;line-height:1.5;color:var(--muted)}
        .method{font-size:.9rem;color:var(--muted);border-left:4px solid var(--line);padding:2px 0 2px 14px;margin:0}
        figure{margin:0}
        figcaption{font-size:.88rem;color:var(--muted);margin-top:8px}
        .map-wrap{position:relative}
        #opinion-map,#cluster-treemap{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
        #opinion-map{cursor:crosshair}
        .map-bg{fill:#fcfcfd}
        .pts{opacity:.8;transition:opacity .15s}
        .map-dim .pts{opacity:.1}.map-dim .pts.on{opacity:.95}
        .map-focus{fill:none;stroke:#000;stroke-width:2.5;pointer-events:none}
        .map-label rect{fill:#fff;fill-opacity:.94;stroke-width:2}
        .map-label text{font-size:14px;font-weight:700;fill:#1a1a1a;text-anchor:middle}
        .map-label:hover rect,.map-label:focus-visible rect{stroke-width:3.5}
        .map-tip{position:absolute;left:0;top:0;width:max-content;max-width:330px;background:#fff;border:1px solid #8a9099;border-radius:6px;
          box-shadow:0 6px 18px rgba(0,0,0,.18);padding:8px 12px;font-size:.88rem;line-height:1.6;pointer-events:none;z-index:3}
        .tip-cluster{display:block;font-size:.78rem;font-weight:700;
          color:var(--muted);border-left:4px solid var(--c);padding-left:6px;margin-bottom:4px}
        .tip-source{display:block;font-size:.75rem;color:var(--muted);margin-top:4px}
        .legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;margin:12px 0 0}
        .legend a,.legend-static{display:inline-flex;align-items:center;gap:2px;color:var(--ink);
          text-decoration:none;font-size:.9rem;padding:2px 6px;border-radius:4px}
        .legend a:hover,.legend a:focus-visible{background:#e9eef5}
        .legend-n{color:var(--muted);margin-left:8px;font-variant-numeric:tabular-nums}
        .swatch{flex:none;vertical-align:-1px;margin-right:6px}
        .tm-head{font-size:15px;font-weight:700}.tm-count{font-size:13px;font-weight:400}
        .tm-label{font-weight:700}
        .tm-child:hover rect,.tm-child:focus-visible rect{stroke:#000;stroke-width:3}
        .tm-parent:hover .tm-frame,.tm-parent:focus-visible .tm-frame{stroke:#000;stroke-width:3}
        .tree ul{list-style:none;margin:0;padding:0}
        .tree ul ul{margin-left:14px;padding-left:14px;border-left:2px solid var(--line)}
        .tree-row{display:flex;flex-wrap:wrap;align-items:baseline;
          justify-content:space-between;gap:2px 16px;padding:6px 8px;border-bottom:1px solid #eceef1}
        summary.tree-row{cursor:pointer;list-style:none}
        summary.tree-row::-webkit-details-marker{display:none}
        summary.tree-row::before{content:"▸";color:var(--muted);width:1em;margin-right:-10px}
        details[open]>summary.tree-row::before{content:"▾"}
        .tree-label{flex:1 1 20em;display:flex;align-items:center}
        .tree-label a{text-decoration:none;font-weight:600}.tree-label a:hover{text-decoration:underline}
        .tree ul ul .tree-label a{font-weight:400}
        .tree-n{font-size:.86rem;color:var(--muted);font-variant-numeric:tabular-nums}.tree-n strong{color:var(--ink)}
        .cluster{border-top:1px solid var(--line);padding:22px 0 10px}
        .cluster:first-of-type{border-top:0;padding-top:6px}
        .cluster>h3{font-size:1.32rem;margin:0 0 10px;padding:2px 0 2px 12px;border-left:6px solid var(--c);
          display:flex;align-items:center;flex-wrap:wrap;gap:2px 6px}
        .cluster-no{color:var(--muted);font-variant-numeric:tabular-nums}
        .label-link{color:inherit;text-decoration:none}.label-link:hover{text-decoration:underline}
        .figures{display:flex;flex-wrap:wrap;gap:4px 26px;margin:0 0 10px}
        .figures div{display:flex;gap:8px;align-items:baseline}
        .figures dt{font-size:.84rem;color:var(--muted)}.figures dd{margin:0;font-weight:700;font-variant-numeric:tabular-nums}
        .summary{margin:0 0 10px}
        .evidence-link{font-size:.86rem;white-space:nowrap;margin-left:4px}
        .keywords{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0 0 14px}
        .keywords-label{font-size:.8rem;color:var(--muted);font-weight:700;margin-right:2px}
        .keyword{font-size:.84rem;background:#eef1f5;border:1px solid #d5dae1;border-radius:999px;padding:0 10px;line-height:1.7}
        .quotes{display:grid;gap:8px;margin:0 0 12px}
        .quote{margin:0;padding:10px 16px;background:var(--soft);border-left:4px solid var(--c);border-radius:0 6px 6px 0}
        .quote p{margin:0}
        .quote footer{font-size:.8rem;color:var(--muted);margin-top:4px}
        .subclusters{margin:14px 0 6px;display:grid;gap:12px}
        .sub-intro{margin:0;font-weight:700;font-size:.88rem;color:var(--muted)}
        .subcluster{border:1px solid var(--line);border-radius:8px;padding:14px 20px 10px;background:#fff}
        .subcluster h4,.subcluster h5,.subcluster h6{margin:0 0 8px;font-size:1.08rem}
        .badge{font-size:.74rem;font-weight:700;background:#fff4d6;color:#5c3b00;
          border:1px solid #d9b35a;border-radius:4px;padding:0 6px;line-height:1.6}
        .evidence{margin:4px 0 6px}
        .evidence>summary{cursor:pointer;color:var(--accent);font-weight:700;font-size:.9rem;padding:4px 0}
        .opinions{margin:6px 0 0;padding-left:2.2em}
        .opinions li{padding:8px 4px;border-bottom:1px dashed #dfe2e7}
        .op-text{margin:0}
        .op-source{margin:2px 0 0;font-size:.8rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:0 14px}
        .source-id{font-weight:700}
        .op-original{margin:6px 0 0;font-size:.86rem;background:var(--bg);padding:6px 10px;border-radius:4px;white-space:pre-wrap}
        .op-original-label{font-weight:700;font-size:.74rem;color:var(--muted);margin-right:8px}
        .opinions li:target{background:#fff4d6;outline:2px solid var(--focus)}
        .table-scroll{overflow-x:auto;margin:6px 0 18px}
        table{border-collapse:collapse;width:100%;font-size:.9rem}
        caption{caption-side:top;text-align:left;font-size:.84rem;color:var(--muted);padding:0 0 6px}
        th,td{border:1px solid #cfd4da;padding:6px 10px;vertical-align:top}
        thead th{background:#e9edf2;font-weight:700;text-align:left;white-space:nowrap}
        thead th.num{text-align:right}
        .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .crosstab tbody th,.comparison tbody th{text-align:left;font-weight:700;min-width:12em}
        tbody th a{color:var(--ink);text-decoration:none}tbody th a:hover{text-decoration:underline}
        tbody tr.row-fine th{font-weight:400;padding-left:18px}
        .crosstab td .n,.comparison td .n{display:block;font-weight:700}
        .crosstab td .share,.comparison td .share{display:block;font-size:.76rem;color:#2b2b2b}
        .change{font-weight:700;white-space:nowrap}.change.up{color:#17602f}.change.down{color:#a4262c}
        .indent{color:var(--muted);margin-right:6px}
        .crosstab .total{background:var(--soft)}
        tfoot th,tfoot td{background:#e9edf2;font-weight:700;border-top:2px solid #8a9099;text-align:left}
        tfoot td{text-align:right}
        .duplicates .text,.failures .text{white-space:pre-wrap;min-width:18em}
        .ids{font-size:.82rem;color:var(--muted)}
        .duplicates tr:target{background:#fff4d6}
        .kind{font-size:.8rem;font-weight:700;border-radius:4px;padding:1px 8px;white-space:nowrap}
        .kind-exact{background:#fde8e6;color:#7d1a10}.kind-near{background:#fff1db;color:#5c3b00}
        .params th{width:15em;background:var(--soft);text-align:left;font-weight:700}
        code{font-family:"Noto Sans Mono CJK JP",ui-monospace,monospace;font-size:.88em;background:#f1f3f5;padding:1px 5px;border-radius:3px}
        .hash{word-break:break-all}
        .report-foot{max-width:1100px;margin:0 auto;padding:0 28px 36px;color:var(--muted);font-size:.84rem}
        @media (max-width:700px){main{padding:14px}.card{padding:18px}.wrap{padding:0 16px}h1{font-size:1.5rem}}
        @media (prefers-reduced-motion:no-preference){html{scroll-behavior:smooth}}
        @media print{
          @page{size:A4;margin:14mm 12mm}
          body{background:#fff;font-size:10pt;line-height:1.6}
          .report-head{background:none;color:#000;padding:0 0 6pt;border-bottom:2pt solid #000}
          .kicker,.head-meta{color:#333}
          .toc,.skip,.map-tip,.map-focus,.evidence,.evidence-link,.screen-only{display:none}
          main{padding:0;max-width:none}
          .card{border:0;border-radius:0;padding:0;margin:0 0 16pt}
          h2,h3,h4{break-after:avoid}
          .stat,.quote,.subcluster,tr,figure{break-inside:avoid}
          #opinion-map,#cluster-treemap{max-height:15cm;width:auto;max-width:100%;margin:0 auto}
          .table-scroll{overflow:visible}
          a{color:inherit;text-decoration:none}
          .pts{transition:none}
        }
        """#
}
