#!/bin/bash
# usage: reg.sh URL  -> checks and registers
u="$1"; cd /work/collect
if grep -Fxq "$u" used_urls.txt; then echo "USED $u"; exit 1; fi
p=${u#https://github.com/}
if [ "$p" != "$u" ] && grep -rlq "$p\b" /work/main/tests/data 2>/dev/null; then echo "INDATA $u"; exit 1; fi
flock used_urls.txt -c "echo $u >> used_urls.txt"; echo "OK $u"
