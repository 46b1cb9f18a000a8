#!/usr/bin/env python3
"""Generates large legacy exports for the convert benchmark.
  gen_exports.py csv ROWS OUT.csv   -- windows-1252, ';', CRLF, rakval-csv columns
  gen_exports.py xml RECORDS OUT.xml -- ISO-8859-1, namespaced, ymparisto-xml elements
"""
import sys

def csv(rows, path):
    head = "Asiointitunnus;Diaarinumero;Tilakoodi;Tilan pvm;Edellinen tila;Päätöspvm;Päätös;Pykälä;Päättäjä;Viesti;Y-tunnus;Hetu;Käsittelijä\r\n"
    with open(path, "w", encoding="cp1252", newline="") as f:
        f.write(head)
        chunk = []
        for i in range(rows):
            day = 1 + i % 28
            chunk.append(f"LV-2026-{i:07d};RAVA/{i}/2026;20;{day:02d}.11.2026 09:15;10;;;;;"
                         f"\"Käsittely jatkuu; lisätietoja 350 € maksusta.\";0737546-2;;Matti Mäkelä\r\n")
            if len(chunk) == 10000:
                f.write("".join(chunk)); chunk = []
        f.write("".join(chunk))

def xml(records, path):
    with open(path, "w", encoding="iso-8859-1", newline="\n") as f:
        f.write('<?xml version="1.0" encoding="ISO-8859-1"?>\n<v:Vienti xmlns:v="urn:example:ymparisto:vienti:1">\n')
        chunk = []
        for i in range(records):
            day = 1 + i % 28
            chunk.append(f"  <v:Asia>\n    <v:LvTunnus>LV-2026-{i:07d}</v:LvTunnus>\n    <v:Diaari>YMP/{i}/2026</v:Diaari>\n"
                         f"    <v:Tila koodi=\"K\" pvm=\"2026-11-{day:02d}\"/>\n    <v:Kunta>091</v:Kunta>\n"
                         f"    <v:Hakija><v:Ytunnus>1572860-0</v:Ytunnus></v:Hakija>\n"
                         f"    <v:Viesti kieli=\"fi\">Hakemus käsittelyssä.</v:Viesti>\n  </v:Asia>\n")
            if len(chunk) == 5000:
                f.write("".join(chunk)); chunk = []
        f.write("".join(chunk))
        f.write("</v:Vienti>\n")

if __name__ == "__main__":
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    (csv if kind == "csv" else xml)(n, out)
