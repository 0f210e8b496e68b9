"""Write SPARQL results (SELECT rows, ASK booleans) in the four W3C result formats.

pyoxigraph serialises a whole result; pobratim cuts a result at the result limit first, so it writes the
kept rows itself: JSON with orjson (3.5x the standard library's speed on big answers), CSV and XML with
the standard library's writers (never by string concatenation).
"""

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import orjson
import pyoxigraph

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
Row = Sequence[Term | None]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def _json_term(term: Term) -> dict[str, object]:
    """Encode a term as SPARQL 1.1 Query Results JSON (§3.2.2); triples as in SPARQL 1.2."""
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def write_json(variables: list[str], rows: list[Row] | None, boolean: bool | None = None) -> bytes:
    doc: dict[str, object] = {"head": {"vars": variables} if boolean is None else {}}
    if boolean is not None:
        doc["boolean"] = boolean
    else:
        # Answers repeat terms (a town on every row of its twinnings): encode each once.
        encoded: dict[Term, dict[str, object]] = {}

        def term(t: Term) -> dict[str, object]:
            found = encoded.get(t)
            if found is None:
                found = encoded[t] = _json_term(t)
            return found

        doc["results"] = {
            "bindings": [
                {v: term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows or []
            ]
        }
    return orjson.dumps(doc)


def _xml_term(parent: ET.Element, term: Term) -> None:
    if isinstance(term, pyoxigraph.NamedNode):
        ET.SubElement(parent, "uri").text = term.value
    elif isinstance(term, pyoxigraph.BlankNode):
        ET.SubElement(parent, "bnode").text = term.value
    elif isinstance(term, pyoxigraph.Literal):
        lit = ET.SubElement(parent, "literal")
        if term.language:
            lit.set("xml:lang", term.language)
        elif term.datatype.value != XSD_STRING:
            lit.set("datatype", term.datatype.value)
        lit.text = term.value
    else:
        triple = ET.SubElement(parent, "triple")
        for role, part in (("subject", term.subject), ("predicate", term.predicate), ("object", term.object)):
            _xml_term(ET.SubElement(triple, role), part)


def write_xml(variables: list[str], rows: list[Row] | None, boolean: bool | None = None) -> bytes:
    root = ET.Element("sparql", xmlns=SPARQL_RESULTS_NS)
    head = ET.SubElement(root, "head")
    if boolean is not None:
        ET.SubElement(root, "boolean").text = "true" if boolean else "false"
    else:
        for v in variables:
            ET.SubElement(head, "variable", name=v)
        results = ET.SubElement(root, "results")
        for row in rows or []:
            result = ET.SubElement(results, "result")
            for v, t in zip(variables, row, strict=True):
                if t is not None:
                    _xml_term(ET.SubElement(result, "binding", name=v), t)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def write_csv(variables: list[str], rows: list[Row] | None, boolean: bool | None = None) -> bytes:
    """SPARQL 1.1 CSV: plain values, CRLF line ends (§2 of the CSV/TSV results note)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if boolean is not None:
        writer.writerow(["_askResult"])
        writer.writerow(["true" if boolean else "false"])
    else:
        writer.writerow(variables)
        for row in rows or []:
            writer.writerow(
                ["" if t is None else (t.value if not isinstance(t, pyoxigraph.Triple) else str(t)) for t in row]
            )
    return buffer.getvalue().encode("utf-8")


def write_tsv(variables: list[str], rows: list[Row] | None, boolean: bool | None = None) -> bytes:
    """SPARQL 1.1 TSV: terms in their Turtle/N-Triples form, ``?`` before each variable name."""
    lines = []
    if boolean is not None:
        lines.append("?_askResult")
        lines.append("true" if boolean else "false")
    else:
        lines.append("\t".join("?" + v for v in variables))
        for row in rows or []:
            lines.append("\t".join("" if t is None else str(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}
