"""OneRoster 1.1 CSV exports: reading them and checking every row, without writing anything.

One module per concern; import from the module itself, e.g.
``from district.oneroster.reading import read_roster``.

- ``schema``: the files an export holds, their columns and vocabularies, and the problems reported.
- ``reading``: opens a zip file (or a folder) and returns the manifest's file modes and the texts of
  the files this app reads (``read_roster``).
- ``records``: the records a checked export maps to (``Roster``) and what the database holds already
  (``KnownRecords``), so that checking never queries or writes.
- ``checking``: checks every row and maps the valid ones (``parse_roster``).

``district.services.roster_import`` carries out an import and ``roster_writing`` writes it.
"""
