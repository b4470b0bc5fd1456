#!/bin/bash
cd /work/collect; for u in "$@"; do u=${u#https://github.com/}; a=$(grep -Fxc "https://github.com/$u" used_urls.txt); b=$(grep -rl "$u\b" /work/main/tests/data 2>/dev/null | wc -l); echo "$u $a $b"; done
