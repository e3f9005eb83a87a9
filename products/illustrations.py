"""Drawn pictures of the demo's products: the product's shape in the colours of its form, its
names in both languages and a line saying it is a drawing, made with Pillow when the demo is
loaded (no image files in the repository, nothing fetched).

The shape follows the HS chapter (a crab for 03, a sack for flours, a bottle for oils, pods for
spices, strands for seaweed, a jar for prepared food); the background the commodity form
(live: sea blue, fresh: leaf green, frozen: ice, dried: sand, processed: terracotta).
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from products.models import Product

SIZE = (800, 600)
BACKGROUND = {
    "live": ((22, 92, 125), (64, 156, 186)),
    "fresh": ((46, 110, 64), (120, 180, 110)),
    "frozen": ((120, 160, 190), (220, 236, 246)),
    "dried": ((150, 112, 60), (226, 196, 140)),
    "processed": ((150, 70, 45), (222, 150, 110)),
}
INK = (250, 246, 238)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def _gradient(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", SIZE, top)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE[1]):
        share = y / (SIZE[1] - 1)
        colour = tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SIZE[0], y)], fill=colour)
    return image


def _crab(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int]) -> None:
    cx, cy = 400, 250
    for side in (-1, 1):
        for n in range(3):  # legs
            x0 = cx + side * 120
            draw.line(
                [(x0, cy + 10 + n * 30), (x0 + side * 90, cy + 40 + n * 45)], fill=colour, width=14
            )
        # arms and claws
        draw.line([(cx + side * 110, cy - 30), (cx + side * 190, cy - 110)], fill=colour, width=18)
        draw.ellipse([cx + side * 190 - 45, cy - 160, cx + side * 190 + 45, cy - 80], fill=colour)
    draw.ellipse([cx - 150, cy - 80, cx + 150, cy + 90], fill=colour)
    for side in (-1, 1):  # eyes
        draw.ellipse([cx + side * 40 - 12, cy - 100, cx + side * 40 + 12, cy - 76], fill=INK)


def _sack(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int]) -> None:
    draw.rounded_rectangle([270, 130, 530, 400], radius=60, fill=colour)
    draw.polygon([(300, 140), (400, 90), (500, 140)], fill=colour)
    draw.line([(320, 150), (480, 150)], fill=INK, width=8)
    draw.ellipse([350, 230, 450, 330], outline=INK, width=8)


def _bottle(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int]) -> None:
    draw.rounded_rectangle([320, 190, 480, 410], radius=30, fill=colour)
    draw.rectangle([370, 110, 430, 200], fill=colour)
    draw.rectangle([360, 90, 440, 115], fill=INK)
    draw.rounded_rectangle([340, 260, 460, 340], radius=10, fill=INK)


def _pods(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int]) -> None:
    for n in range(5):
        x = 260 + n * 70
        draw.line([(x, 400), (x + 60, 110)], fill=colour, width=22)


def _strands(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int]) -> None:
    for n in range(6):
        x = 240 + n * 60
        points = [(x + (18 if (y // 40) % 2 else -18), y) for y in range(110, 420, 40)]
        draw.line(points, fill=colour, width=16, joint="curve")


def _jar(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int]) -> None:
    draw.rounded_rectangle([300, 170, 500, 410], radius=24, fill=colour)
    draw.rectangle([290, 130, 510, 175], fill=INK)
    draw.rounded_rectangle([320, 250, 480, 330], radius=10, fill=INK)


#: Shapes drawn in a colour of their own rather than a shade of the background.
SHAPE_COLOUR = {"12": (62, 112, 70), "09": (64, 40, 24)}

SHAPES = {
    "03": _crab,
    "16": _jar,
    "11": _sack,
    "15": _bottle,
    "33": _bottle,
    "09": _pods,
    "12": _strands,
}


def illustration(product: Product) -> SimpleUploadedFile:
    """A JPEG drawing of ``product`` (see the module's docstring)."""
    top, bottom = BACKGROUND.get(product.form, BACKGROUND["processed"])
    image = _gradient(top, bottom)
    draw = ImageDraw.Draw(image)
    shape = SHAPES.get(product.hs_code_id[:2], _jar)
    shade = (max(top[0] - 10, 0), max(top[1] - 20, 0), max(top[2] - 20, 0))
    shape(draw, SHAPE_COLOUR.get(product.hs_code_id[:2], shade))
    # A band with the names, and what the picture is.
    draw.rectangle([0, 450, SIZE[0], SIZE[1]], fill=(20, 30, 36))
    draw.text((400, 492), product.name_id, fill=INK, font=_font(40), anchor="mm")
    if product.name_en:
        draw.text((400, 538), product.name_en, fill=(200, 214, 220), font=_font(28), anchor="mm")
    draw.text(
        (790, 14),
        "Ilustrasi demo · Demo illustration",
        fill=INK,
        font=_font(20),
        anchor="ra",
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile("illustration.jpg", out.getvalue(), content_type="image/jpeg")
