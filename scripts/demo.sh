#!/usr/bin/env bash
# Loads the demo content of the fictional みなと市 and shows cited search results.
set -euo pipefail
BIN=${1:-.build/release/hiroba}
DB=${2:-./var/hiroba.sqlite}
cd "$(dirname "$0")/.."
mkdir -p "$(dirname "$DB")"
"$BIN" ingest demo/財務会計システム demo/FAQ --collection 財務会計 --db "$DB"
"$BIN" ingest demo/規程 --collection 例規 --db "$DB"
# Office and PDF files of the same city (made with LibreOffice, see scripts/make-fixtures.sh).
F=Tests/IngestTests/Fixtures
"$BIN" ingest "$F/manual.pdf" "$F/regulation.docx" "$F/budget.xlsx" "$F/slides.pptx" --collection 研修資料 --db "$DB"
"$BIN" collections --db "$DB"
for q in "支出命令の入力期限" "パスワードを忘れた" "100万円以上の支出負担行為の決裁" "生成AIに個人情報を入力してよいか" "\"予算残額不足\"" "みなと市財務規則 第三十条" "出納整理期間" "電子文書の管理"; do
  echo
  echo "== hiroba search \"$q\""
  "$BIN" search "$q" --k 3 --db "$DB"
done
echo
echo "試してみてください: $BIN search \"検索語\" --db $DB  (--explain でスコアの内訳)"
