#!/usr/bin/env bash
# Remakes wqy-microhei-subset.ttc, the CJK font the chart tests draw with, so
# that they never depend on a font package being installable: Debian's
# WenQuanYi Micro Hei (Apache-2.0, see LICENSE.txt) cut down to ASCII, CJK
# punctuation, full-width forms and every other character the repository's
# files hold. Both fonts of the collection are kept, so the tests read a .ttc
# as they do on a server. Needs fonts-wqy-microhei and python3-fonttools:
#   apt-get install -y fonts-wqy-microhei python3-fonttools
# Run it from anywhere; rerun it when the charts learn new words.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel)"
src=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
git -C "$repo" ls-files -z | grep -zv -e '\.png$' -e '\.ttc$' -e '\.xlsx$' |
  (cd "$repo" && xargs -0 cat) |
  /usr/bin/python3 -c 'import sys; s=sys.stdin.buffer.read().decode("utf-8","ignore"); sys.stdout.write("".join(sorted({c for c in s if ord(c) > 127})))' >"$tmp/chars.txt"
for n in 0 1; do
  /usr/bin/python3 -m fontTools.subset "$src" --font-number=$n --text-file="$tmp/chars.txt" \
    --unicodes=U+0020-007E,U+00B7,U+2014,U+2018-201D,U+2026,U+3000-303F,U+FF00-FFEF \
    --no-hinting --desubroutinize --output-file="$tmp/$n.ttf"
done
/usr/bin/python3 - "$tmp" "$here/wqy-microhei-subset.ttc" <<'PY'
import sys
from fontTools.ttLib import TTFont, TTCollection
c = TTCollection()
c.fonts = [TTFont(f"{sys.argv[1]}/{n}.ttf") for n in (0, 1)]
c.save(sys.argv[2])
PY
ls -l "$here/wqy-microhei-subset.ttc"
