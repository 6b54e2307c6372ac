"""DVF géolocalisées (Etalab): reading the published CSV, aggregating its rows into mutations,
loading them with COPY, and the market indicators computed from them."""
