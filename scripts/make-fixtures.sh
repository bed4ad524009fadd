#!/usr/bin/env bash
# Regenerates the Office/PDF test fixtures in Tests/IngestTests/Fixtures from the Japanese sources in
# Tests/FixtureSources with real tools: LibreOffice headless (Writer, Calc, Impress), poppler, qpdf, iconv.
# The generated files are small and committed, so `make test` needs none of these tools.
# Needs: libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui fonts-noto-cjk
#        poppler-utils qpdf (apt-get install them first).
set -euo pipefail
cd "$(dirname "$0")/.."
src=Tests/FixtureSources
out=Tests/IngestTests/Fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src"/* "$work"/
cd "$work"
lo() { soffice --headless "$@" >/dev/null 2>&1; }

# Word documents from HTML through Writer (the StarWriter filter keeps table widths), then PDF.
lo --infilter="HTML (StarWriter)" --convert-to docx:"MS Word 2007 XML" manual.html regulation.html
lo --convert-to pdf manual.docx regulation.docx
# Spreadsheet and slides from flat ODF sources.
lo --convert-to xlsx budget.fods
lo --convert-to pptx slides.fodp
# A scanned page: page 3 of the manual as an image on page 2 of a new PDF.
pdftoppm -f 3 -l 3 -r 60 -png manual.pdf scan
cat > scanned.html <<'HTML'
<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>スキャン混在文書</title></head><body>
<h1>スキャン混在文書</h1><p>この文書の2ページ目は紙の通知をスキャンした画像で、文字情報を含みません。</p>
<p style="page-break-before: always"><img src="scan-3.png" width="400" height="560"></p></body></html>
HTML
lo --infilter="HTML (StarWriter)" --convert-to odt scanned.html
lo --convert-to pdf scanned.odt
qpdf scanned.pdf --pages scanned.pdf 2 -- scanned_only.pdf
# Password-protected and truncated PDFs.
qpdf --encrypt 'himitsu' 'owner' 256 -- manual.pdf encrypted.pdf
head -c 20000 manual.pdf > truncated.pdf
# Legacy encodings of the FAQ CSV (CP932 with ①㈱髙, EUC-JP) and a file mixing UTF-8 and CP932.
iconv -f UTF-8 -t CP932 faq.csv > faq_sjis.csv
iconv -f UTF-8 -t EUC-JP-MS faq.csv > faq_eucjp.csv
{ head -n 2 faq.csv; tail -n 2 faq.csv | iconv -f UTF-8 -t CP932; } > mixed_encoding.csv

cd - >/dev/null
mkdir -p "$out"
for f in manual.docx regulation.docx manual.pdf regulation.pdf budget.xlsx slides.pptx scanned.pdf scanned_only.pdf encrypted.pdf \
  truncated.pdf faq.csv faq_sjis.csv faq_eucjp.csv mixed_encoding.csv; do
  cp "$work/$f" "$out/$f"
done
ls -l "$out"
