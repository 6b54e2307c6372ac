"""Chart tooltips write a value as the tables do (format_valeur), not with d3's own rounding."""

from observatoire.indicateurs import charts


def test_tooltips_carry_the_values_as_the_tables_write_them():
    figure = charts.evolution([("Aix-en-Provence", [(2022, 481287.80488), (2023, 7.456)])], "€")
    trace = figure["data"][0]
    assert trace["customdata"] == ["481\u202f288", "7,46"]
    assert "%{customdata} €" in trace["hovertemplate"]
    bars = charts.classement([{"nom": "Aix", "insee": "13001", "valeur": -0.004}], "%")["data"][0]
    assert bars["customdata"] == ["0"]  # never « −0 »
