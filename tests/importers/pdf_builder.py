"""A tiny text PDF writer for tests: real PDF syntax, Chinese text, no font file.

The page shows each line with a Type0 font whose character codes are the
Unicode code points; its ToUnicode CMap maps them back, which is all a text
extractor (pypdf) needs.
"""

from __future__ import annotations


def _stream(data: str) -> str:
    encoded = data.encode("latin-1")
    return f"<< /Length {len(encoded)} >>\nstream\n{data}\nendstream"


def _to_unicode_cmap(chars: list[str]) -> str:
    entries = []
    for start in range(0, len(chars), 100):
        chunk = chars[start : start + 100]
        entries.append(f"{len(chunk)} beginbfchar")
        entries.extend(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chunk)
        entries.append("endbfchar")
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
            *entries,
            "endcmap CMapName currentdict /CMap defineresource pop end end",
        ]
    )


def text_pdf(lines: list[str]) -> bytes:
    shown = " ".join(f"<{''.join(f'{ord(c):04X}' for c in line)}> Tj T*" for line in lines)
    content = f"BT /F1 12 Tf 16 TL 40 800 Td {shown} ET"
    chars = sorted({c for line in lines for c in line})
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        _stream(content),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        _stream(_to_unicode_cmap(chars)),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
