from django.db import migrations

# French stemming after removing accents: « logement » finds « Logements », « energie » finds « Énergie ».
CREATE = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION fr_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("gouvernance", "0001_catalogue"), ("territoires", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, "DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_unaccent")]
