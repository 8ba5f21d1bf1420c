#!/usr/bin/env python3
"""measure_text.py SVG PROFILE_DIR - does every text of the chart stay inside its view box?

The chart is put inline into measure_text.html.in, which Debian's Chromium
(headless, a fresh profile in PROFILE_DIR) loads; once the fonts are ready its
script measures each text element's box (getBBox) against the view box, and
Chromium's --dump-dom hands the answers back.  Prints one 'ok' or 'FAIL' line
a text; exits non-zero on a failure or when nothing was measured.
"""
import html
import os
import re
import subprocess
import sys


def main():
    svg_path, profile = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, 'measure_text.html.in'), encoding='utf-8') as f:
        page = f.read()
    with open(svg_path, encoding='utf-8') as f:
        page = page.replace('@SVG@', f.read())
    page_path = svg_path + '.measure.html'
    with open(page_path, 'w', encoding='utf-8') as f:
        f.write(page)
    dom = subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                          '--disable-component-update', '--disable-sync', '--no-first-run',
                          '--user-data-dir=' + profile, '--virtual-time-budget=10000', '--dump-dom',
                          'file://' + page_path],
                         capture_output=True, text=True, timeout=120).stdout
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    lines = html.unescape(found.group(1)).splitlines() if found else ['FAIL Chromium measured the texts: no result']
    for line in lines:
        print(line)
    measured = [l for l in lines if l.startswith('measured ')]
    if not measured or int(measured[0].split()[1]) == 0:
        print('FAIL Chromium measured the texts: none measured')
        sys.exit(1)
    ok = not any(l.startswith('FAIL') for l in lines)
    sys.exit(0 if ok else 1)


main()
