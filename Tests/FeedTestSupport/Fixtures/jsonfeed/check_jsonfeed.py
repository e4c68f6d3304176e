#!/usr/bin/env python3
"""Checks every feed.json under an output folder, as a reader would:

1. it validates against the JSON Feed 1.1 schema beside this script
   (Draft 7, with jsonschema's format checker);
2. Python's json module reads into what the same folder's atom.xml says:
   the same entries in the same order, with the same ids, titles, links,
   published and updated dates, authors, categories, summaries, and the
   same HTML content.

Prints one line per problem and a last line `checked N feeds, M items`;
exits 1 when there is a problem, 2 when it cannot run.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

try:
    import jsonschema
except ImportError:
    print("python3 module jsonschema is missing (pip install jsonschema)")
    sys.exit(2)

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_entries(path):
    root = ET.parse(path).getroot()
    entries = []
    for e in root.findall(ATOM + "entry"):
        alternate = [l.get("href") for l in e.findall(ATOM + "link") if l.get("rel") == "alternate"]
        content = e.find(ATOM + "content")
        summary = e.find(ATOM + "summary")
        entries.append({
            "id": e.findtext(ATOM + "id"),
            "title": e.findtext(ATOM + "title"),
            "url": alternate[0] if alternate else None,
            "date_published": e.findtext(ATOM + "published"),
            "date_modified": e.findtext(ATOM + "updated"),
            "authors": [a.findtext(ATOM + "name") for a in e.findall(ATOM + "author")],
            "tags": [c.get("label") for c in e.findall(ATOM + "category")],
            "slugs": [c.get("term") for c in e.findall(ATOM + "category")],
            "summary": summary.text if summary is not None else None,
            "content": content.text or "" if content is not None else None,
        })
    return root, entries


def check(folder, schema, problems):
    name = os.path.basename(folder)
    with open(os.path.join(folder, "feed.json"), "rb") as f:
        raw = f.read()
    feed = json.loads(raw.decode("utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for error in sorted(validator.iter_errors(feed), key=lambda e: list(e.path)):
        problems.append(f"{name}/feed.json: schema: {'/'.join(map(str, error.path))}: {error.message}")
    root, entries = atom_entries(os.path.join(folder, "atom.xml"))
    if feed.get("title") != root.findtext(ATOM + "title"):
        problems.append(f"{name}: title {feed.get('title')!r} != Atom {root.findtext(ATOM + 'title')!r}")
    items = feed.get("items", [])
    if [i.get("id") for i in items] != [e["id"] for e in entries]:
        problems.append(f"{name}: item ids or their order differ from the Atom feed")
        return 0
    for item, entry in zip(items, entries):
        where = f"{name}: {entry['id']}"
        for key in ["title", "url", "date_published", "date_modified"]:
            if item.get(key) != entry[key]:
                problems.append(f"{where}: {key} {item.get(key)!r} != Atom {entry[key]!r}")
        if [a.get("name") for a in item.get("authors", [])] != entry["authors"]:
            problems.append(f"{where}: authors {item.get('authors')!r} != Atom {entry['authors']!r}")
        if item.get("tags", []) != entry["tags"]:
            problems.append(f"{where}: tags {item.get('tags')!r} != Atom {entry['tags']!r}")
        if item.get("_feedd", {}).get("categories") != entry["slugs"]:
            problems.append(f"{where}: _feedd.categories != Atom category terms {entry['slugs']!r}")
        if item.get("summary") != entry["summary"]:
            problems.append(f"{where}: summary {item.get('summary')!r} != Atom {entry['summary']!r}")
        if "content_html" in item and item["content_html"] != entry["content"]:
            problems.append(f"{where}: content_html differs from the Atom content")
        if "content_text" in item and item["content_text"] != entry["summary"]:
            problems.append(f"{where}: content_text is not the summary")
    return len(items)


def main():
    output = sys.argv[1]
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "jsonfeed-1.1.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    problems, feeds, items = [], 0, 0
    for entry in sorted(os.listdir(output)):
        folder = os.path.join(output, entry)
        if not os.path.isfile(os.path.join(folder, "atom.xml")):
            continue
        if not os.path.isfile(os.path.join(folder, "feed.json")):
            problems.append(f"{entry}: atom.xml without feed.json")
            continue
        feeds += 1
        items += check(folder, schema, problems)
    for p in problems:
        print(p)
    print(f"checked {feeds} feeds, {items} items")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
