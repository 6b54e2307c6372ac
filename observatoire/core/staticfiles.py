"""collectstatic without what the npm packages ship for their own developers."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class PortalStaticFilesConfig(StaticFilesConfig):
    # MapLibre's dist/ holds its development builds, type declarations and 16 MB of source maps
    # beside the three files served (module, worker, stylesheet; docs/adr/0014): compressing them
    # all in brotli and gzip made collectstatic last 6 min 42 s here, against about 1 min 40 s
    # without them. The module's sourceMappingURL is never rewritten (only .js and .css are), so
    # the missing map breaks nothing.
    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "maplibre-gl*-dev.mjs",
        "maplibre-gl*.map",
        "maplibre-gl.d.ts",
    ]
