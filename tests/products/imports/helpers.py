"""Files to import and the steps of an import, shared by the bulk import tests."""

from __future__ import annotations

from products.imports import services

HEADER = "kode_desa,nama_bumdes,nama_produk,kode_hs,bentuk,satuan,kapasitas_per_bulan,harga"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def upload(user, data: bytes, name: str = "produk.csv", region: str | None = None):
    """Upload and check a file at once (whatever its size), as the upload page does."""
    product_import = services.create_import(
        user=user, file_name=name, data=data, region_code=region
    )
    return services.submit(product_import, background=False).product_import


def commit(user, product_import):
    """Commit a checked import at once (whatever its size)."""
    return services.start_commit(product_import, user=user, background=False).product_import


def by_row(product_import) -> dict[int, dict]:
    return {entry["row"]: entry for entry in product_import.report}
