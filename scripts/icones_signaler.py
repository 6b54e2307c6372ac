"""Draw the PNG icons of the installable filing page (static/img/signaler/), from the same shapes as
its SVG icon: run again after changing them. Pillow draws them so that no binary comes from elsewhere."""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (29, 60, 120)  # --blue of portal.css, also the manifest's theme_color
YELLOW = (242, 183, 5)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "signaler"


def draw(size, maskable=False):
    """A yellow map pin with a white dot on the portal's blue; a maskable icon fills its square and
    keeps the pin inside the central safe circle (80 % of the side) that launchers never crop."""
    scale = 4  # drawn large then reduced: smooth edges without an anti-aliasing pass
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, side, side), fill=BLUE)
        unit = side * 0.8 / 64
        offset = side * 0.1
    else:
        pen.rounded_rectangle((0, 0, side - 1, side - 1), radius=side * 12 // 64, fill=BLUE)
        unit = side / 64
        offset = 0

    def at(x, y):
        return offset + x * unit, offset + y * unit

    # The pin: a disc above a triangle meeting at its tip.
    pen.ellipse((*at(18, 10), *at(46, 38)), fill=YELLOW)
    pen.polygon([at(19.5, 29), at(44.5, 29), at(32, 52)], fill=YELLOW)
    pen.ellipse((*at(26, 18), *at(38, 30)), fill=WHITE)
    # The ground line of the portal's mark.
    pen.rounded_rectangle((*at(14, 53), *at(50, 57)), radius=2 * unit, fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icone-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icone-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
