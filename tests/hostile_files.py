"""Builders of hostile files for a session folder (tests/test_guarantees_hostile.py and
benchmarks/hostile_bench.py). Each takes the session folder, writes its file and returns what
the refusal message must contain (fragments)."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl

MB = 1024 * 1024


def _header(session: Path, name: str) -> str:
    return (session / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]


def big_csv(session: Path) -> list[str]:
    """learners_entry.csv of 51 MB (over the 50 MB limit), made of plausible rows."""
    path = session / "learners_entry.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    body = ("\n".join(lines[1:]) + "\n").encode()
    with open(path, "wb") as f:
        f.write((lines[0] + "\n").encode())
        for _ in range(51 * MB // len(body) + 1):
            f.write(body)
    return ["learners_entry.csv", "fichier ou cellule trop grand", "un fichier de 50\u202fMo au plus"]


def many_rows_csv(session: Path) -> list[str]:
    """followup.csv with 250,000 short rows (a few MB: under the size limit, over the rows one)."""
    path = session / "followup.csv"
    header = _header(session, "followup")
    row = "A01,,no,,\n"
    path.write_text(header + "\n" + row * 250_000, encoding="utf-8")
    return ["followup.csv", "un tableau de 200 000 lignes au plus", "250 000 lignes"]


def _small_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Données"
    ws.append(["learner_id", "response_date"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _replace_sheet(data: bytes, writer, level: int = 9) -> bytes:
    """The workbook ``data`` with ``xl/worksheets/sheet1.xml`` written by ``writer(file)``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                    writer(f)
            else:
                z.writestr(info, src.read(info))
    return out.getvalue()


_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b"<sheetData>")
_SHEET_TAIL = b"</sheetData></worksheet>"


def _repeated_rows(total_bytes: int, cells_per_row: int = 10):
    row = b"<row>" + b"<c><v>1</v></c>" * cells_per_row + b"</row>"
    block = row * (MB // len(row))

    def writer(f):
        f.write(_SHEET_HEAD)
        written = 0
        while written < total_bytes:
            f.write(block)
            written += len(block)
        f.write(_SHEET_TAIL)

    return writer


def zip_bomb_xlsx(session: Path, name: str = "learners_entry") -> list[str]:
    """A workbook of a few hundred KB whose sheet unzips to 300 MB of repeated rows."""
    (session / f"{name}.csv").unlink(missing_ok=True)
    data = _replace_sheet(_small_workbook(), _repeated_rows(300 * MB))
    (session / f"{name}.xlsx").write_bytes(data)
    return [f"{name}.xlsx", "une fois décompressé", "un classeur de 100\u202fMo au plus"]


def many_cells_xlsx(session: Path, name: str = "learners_entry") -> list[str]:
    """A sheet of 40 MB once unzipped (under the size cap) but holding 2.7 million cells."""
    (session / f"{name}.csv").unlink(missing_ok=True)
    data = _replace_sheet(_small_workbook(), _repeated_rows(40 * MB, cells_per_row=50))
    (session / f"{name}.xlsx").write_bytes(data)
    return [f"{name}.xlsx", "un classeur de 500 000 cellules au plus"]


def far_cell_xlsx(session: Path, name: str = "learners_entry") -> list[str]:
    """Two cells only, in A1 and XFD1048576: a reader walking the sheet's extent would visit
    seventeen billion cells."""
    (session / f"{name}.csv").unlink(missing_ok=True)

    def writer(f):
        f.write(_SHEET_HEAD)
        f.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>learner_id</t></is></c></row>')
        f.write(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
        f.write(_SHEET_TAIL)

    (session / f"{name}.xlsx").write_bytes(_replace_sheet(_small_workbook(), writer))
    return [f"{name}.xlsx", "dernière cellule remplie : XFD1048576"]


def lying_directory_xlsx(session: Path, name: str = "learners_entry") -> list[str]:
    """A zip bomb whose central directory claims its sheet is 2 KB once unzipped."""
    (session / f"{name}.csv").unlink(missing_ok=True)
    data = bytearray(_replace_sheet(_small_workbook(), _repeated_rows(300 * MB)))
    # patch the uncompressed size of sheet1.xml in the central directory (and the zip64 extra)
    target = b"xl/worksheets/sheet1.xml"
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len, extra_len = struct.unpack("<HH", data[pos + 28:pos + 32])
        fname = bytes(data[pos + 46:pos + 46 + name_len])
        if fname == target:
            data[pos + 24:pos + 28] = struct.pack("<I", 2048)
            extra = pos + 46 + name_len
            end = extra + extra_len
            while extra + 4 <= end:
                hid, size = struct.unpack("<HH", data[extra:extra + 4])
                if hid == 0x0001 and size >= 8:  # zip64: uncompressed size first
                    data[extra + 4:extra + 12] = struct.pack("<Q", 2048)
                    data[pos + 24:pos + 28] = struct.pack("<I", 2048)
                extra += 4 + size
        pos += 4
    (session / f"{name}.xlsx").write_bytes(bytes(data))
    return [f"{name}.xlsx", "fichier illisible", "un classeur Excel XLSX valide"]


def entity_xlsx(session: Path, name: str = "learners_entry") -> list[str]:
    """XML entities nested ten deep ("billion laughs") in the sheet."""
    (session / f"{name}.csv").unlink(missing_ok=True)
    ents = b'<!ENTITY l0 "lol">' + b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))

    def writer(f):
        f.write(b'<?xml version="1.0"?><!DOCTYPE worksheet [' + ents + b"]>")
        f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
                b"</sheetData></worksheet>")

    (session / f"{name}.xlsx").write_bytes(_replace_sheet(_small_workbook(), writer))
    return [f"{name}.xlsx", "sans déclaration DTD ni entité XML"]


def yaml_laughs(session: Path) -> list[str]:
    """session.yml whose notes expand to 10^9 strings through nested aliases."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    text = (session / "session.yml").read_text(encoding="utf-8")
    text = text.replace("notes:", "\n".join(lines) + "\nnotes_x: *a9\nnotes:", 1)
    (session / "session.yml").write_text(text, encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), start=1) if s.startswith("a0:"))
    return [f"session.yml, ligne {line}", "sans ancre ni alias"]


def yaml_deep(session: Path) -> list[str]:
    """session.yml with a value nested 100,000 deep."""
    with open(session / "session.yml", "a", encoding="utf-8") as f:
        f.write("deep: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return ["session.yml", "fichier illisible", "peu imbriqué"]


def yaml_big(session: Path) -> list[str]:
    """session.yml of 3 MB (a pasted document in the notes)."""
    with open(session / "session.yml", "a", encoding="utf-8") as f:
        f.write("perspectives: >-\n" + ("  " + "bla " * 25 + "\n") * 30_000)
    return ["session.yml", "un fichier de 1\u202fMo au plus"]


def claims_laughs(session: Path) -> list[str]:
    """claims.yml with nested aliases (the 2022 session)."""
    lines = ['x0: &x0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f"x{i}: &x{i} [" + ",".join([f"*x{i - 1}"] * 10) + "]")
    text = (session / "claims.yml").read_text(encoding="utf-8")
    (session / "claims.yml").write_text("\n".join(lines) + "\n" + text, encoding="utf-8")
    return ["claims.yml, ligne 1", "sans ancre ni alias"]


def megabyte_testimony(session: Path) -> list[str]:
    """A testimony of 1 MB on row 3 of testimonies.csv."""
    path = session / "testimonies.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    pid, pop, wave = lines[2].split(",")[:3]
    lines[2] = f'{pid},{pop},{wave},"{"Très bien. " * 95_326}",yes'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["testimonies.csv, ligne 3, colonne « text »", "cellule de 1 048 586 caractères",
            "un texte de 32 767 caractères au plus"]


BUILDERS = {
    "big_csv": big_csv,
    "many_rows_csv": many_rows_csv,
    "zip_bomb_xlsx": zip_bomb_xlsx,
    "many_cells_xlsx": many_cells_xlsx,
    "far_cell_xlsx": far_cell_xlsx,
    "lying_directory_xlsx": lying_directory_xlsx,
    "entity_xlsx": entity_xlsx,
    "yaml_laughs": yaml_laughs,
    "yaml_deep": yaml_deep,
    "yaml_big": yaml_big,
    "megabyte_testimony": megabyte_testimony,
}
