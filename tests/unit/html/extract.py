#!/usr/bin/env python3
"""Copies the bodies the html unit tests read out of the real exports in
../shared/import-fixtures (see its README): Ghost's html, lexical or mobiledoc and
plaintext of a few posts, and WordPress's content:encoded of items 74, 75 and 76.
Run from the repository root: python3 tests/unit/html/extract.py [FIXTURES_DIR]"""
import json, os, sys
import xml.etree.ElementTree as ET

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/import-fixtures"
out = "tests/unit/html/fixtures"
GHOST = ["rich-html-quote-lists-code-image-and-a-script",
         "legacy-editor-post-stored-as-mobiledoc",
         "evening-light-returns-to-the-dnipro-embankment",
         "tram-line-5-suspended-after-power-cut",
         "kiyiv-ghotuietsia-do-zimi-ghrafiki-vidkliuchien-na-tizhdien",
         "about-the-newsroom"]

def write(name, text):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(text)

posts = json.load(open(os.path.join(src, "ghost-export.json"), encoding="utf-8"))["db"][0]["data"]["posts"]
lexical = [p for p in posts if p["lexical"]]
# the named posts, then four ordinary news posts
bySlug = {p["slug"]: p for p in posts}
pick = [bySlug[s] for s in GHOST] + [p for p in lexical if p["slug"] not in GHOST][:4]
for i, p in enumerate(pick):
    base = "ghost-%02d" % i
    write(base + ".html", p["html"] or "")
    write(base + ".plaintext", p["plaintext"] or "")
    if p["lexical"]:
        write(base + ".lexical", p["lexical"])
    else:
        write(base + ".mobiledoc", p["mobiledoc"])
    write(base + ".slug", p["slug"])

ns = {"wp": "http://wordpress.org/export/1.2/", "content": "http://purl.org/rss/1.0/modules/content/"}
root = ET.parse(os.path.join(src, "wordpress-export.xml")).getroot()
for item in root.iter("item"):
    pid = item.find("wp:post_id", ns).text
    if pid in ("74", "75", "76"):
        write("wp-%s.content" % pid, item.find("content:encoded", ns).text or "")
