#!/usr/bin/env bash
# Loads the demo content of the fictional みなと市, sets up its bureaus, users and access, shows a few
# cited search results and starts the server (http://localhost:8080 unless HIROBA_PORT says otherwise).
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

# Who owns what, and who may read it.
"$BIN" access set 財務会計 --owner "みなと市/会計管理局/会計課" --visibility organization --db "$DB"
"$BIN" access set 例規 --owner "みなと市/総務局/法務課" --visibility all --db "$DB"
"$BIN" access set 研修資料 --owner "みなと市/総務局/人事課" --visibility bureau --db "$DB"

# Demo accounts, created once (their passwords are shown only now).
if [ "$("$BIN" users list --json --db "$DB")" = "[]" ]; then
  echo
  echo "== デモ用の利用者を作成します（パスワードはこの一度だけ表示されます）"
  "$BIN" users add admin --name "基盤管理者" --placement "みなと市/デジタル推進局/デジタル推進課" \
    --role platform_admin --role auditor --db "$DB"
  "$BIN" users add kaikei --name "会計 太郎" --placement "みなと市/会計管理局/会計課" --db "$DB"
  "$BIN" users add jinji --name "人事 花子" --placement "みなと市/総務局/人事課" --role staff --role bureau_admin --db "$DB"
else
  echo
  echo "デモ用の利用者は作成済みです（admin, kaikei, jinji）。パスワードを忘れたら: $BIN users reset-password admin --db $DB"
fi

for q in "支出命令の入力期限" "みなと市財務規則 第三十条" "\"予算残額不足\""; do
  echo
  echo "== hiroba search \"$q\""
  "$BIN" search "$q" --k 3 --db "$DB"
done
echo
echo "広聴のデモ: ログイン後、メニューの「広聴」から demo/広聴/市民意見_サンプル.csv をアップロードしてください。"
echo
exec "$BIN" serve --db "$DB"
