#!/usr/bin/env python3
"""check_png.py SVG PNG COUNTS - does the picture Chromium drew show the chart?

SVG is the chart as the extension wrote it, PNG Chromium's screenshot of it,
COUNTS the values the bars stand for, comma-separated, in stage order.  The
checks read pixels, not markup: the picture has the chart's size; on the
middle line of each bar, starting at the bar's left edge, a run of pixels of
the bar's colour as long as the bar (within 2 px); the bars top to bottom in
stage order; and the drawn lengths in the ratio of the counts.  Standard
library only (the PNG is decoded with zlib).  Exits non-zero on a failure.
"""
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def read_png(path):
    with open(path, 'rb') as f:
        data = f.read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, header = 8, b'', None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0 and colour in (2, 6), f'unexpected PNG format {header}'
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upleft = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else upleft)) & 255
        rows.append(line)
        previous = line
    return width, height, [[tuple(r[x * channels:x * channels + 3]) for x in range(width)] for r in rows]


def main():
    svg_path, png_path, counts = sys.argv[1], sys.argv[2], [int(c) for c in sys.argv[3].split(',')]
    ns = {'s': 'http://www.w3.org/2000/svg'}
    svg = ET.parse(svg_path).getroot()
    bars = [r for r in svg.findall('s:rect', ns) if r.get('class') == 'bar']
    width, height, pixels = read_png(png_path)
    failures = []

    def check(name, ok, detail=''):
        print(('ok   ' if ok else 'FAIL ') + name + ('' if ok else ': ' + detail))
        if not ok:
            failures.append(name)

    check('picture size is the chart size', (width, height) == (int(svg.get('width')), int(svg.get('height'))),
          f'{width}x{height} for {svg.get("width")}x{svg.get("height")}')
    check('one bar per count', len(bars) == len(counts), f'{len(bars)} bars, {len(counts)} counts')
    measured, tops = [], []
    for bar in bars:
        x, y, w, h = (int(float(bar.get(a))) for a in ('x', 'y', 'width', 'height'))
        colour = tuple(int(bar.get('fill')[i:i + 2], 16) for i in (1, 3, 5))
        line = pixels[y + h // 2]
        run = 0
        while x + run < width and all(abs(a - b) <= 8 for a, b in zip(line[x + run], colour)):
            run += 1
        measured.append(run)
        tops.append(y)
        check(f'bar {bar.get("data-label")}: drawn {run} px of its colour for {w} px', abs(run - w) <= 2)
    check('bars top to bottom in stage order', tops == sorted(tops))
    biggest, top_count = max(measured), max(counts)
    for bar, run, count in zip(bars, measured, counts):
        expected = count / top_count * biggest if top_count else 0
        check(f'bar {bar.get("data-label")}: length in proportion to {count}', abs(run - expected) <= 3,
              f'{run} px, expected {expected:.1f}')
    print(f'{len(failures)} failed')
    sys.exit(1 if failures else 0)


main()
