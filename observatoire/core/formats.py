def format_number(value):
    """French thousands separator (narrow no-break space): 1 878 061."""
    return f"{value:,}".replace(",", "\u202f")
