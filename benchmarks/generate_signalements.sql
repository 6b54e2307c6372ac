-- Bulk generation of benchmark reports, spread over the communes that open at least one
-- category, in proportion to their population; points drawn inside the real boundaries.
-- Parameters: %(n)s reports; %(seed)s for repeatable randomness.
SELECT setseed(%(seed)s);
WITH opened AS (
    SELECT cc.commune_id, array_agg(cc.categorie_id) AS categories, array_agg(cc.service_id) AS services
    FROM signalements_categoriecommune cc
    WHERE cc.ouverture <> 'fermee'
    GROUP BY cc.commune_id
), weights AS (
    SELECT o.*, c.geom, GREATEST(c.population, 1000)::float AS population
    FROM opened o JOIN territoires_commune c ON c.id = o.commune_id
), counts AS (
    SELECT w.*, GREATEST(1, round(%(n)s * w.population / sum(w.population) OVER ()))::int AS n
    FROM weights w
), points AS (
    SELECT c.commune_id, c.categories, c.services, (ST_Dump(ST_GeneratePoints(c.geom, c.n, %(point_seed)s))).geom AS geom
    FROM counts c
), rows AS (
    SELECT p.*, random() AS r, now() - (random() ^ 1.5) * interval '1095 days' AS created_at,
           1 + floor(random() * array_length(p.categories, 1))::int AS k
    FROM points p
)
INSERT INTO signalements_signalement (
    token, commune_id, categorie_id, service_id, geom, adresse, description, description_validee,
    status, rejection_reason, filed_by_agent, soutiens, reporter_email, created_at, updated_at,
    resolved_at, closed_at, reponses, actif_identifiant
)
SELECT
    md5(random()::text || clock_timestamp()::text),
    commune_id,
    categories[k],
    CASE WHEN r < 0.92 THEN services[k] END,
    geom,
    '',
    'Signalement généré pour le banc de mesure.',
    r < 0.9,
    CASE
        WHEN created_at > now() - interval '3 days' AND r > 0.5 THEN 'nouveau'
        WHEN created_at > now() - interval '10 days' AND r > 0.6 THEN 'pris_en_charge'
        WHEN r > 0.95 THEN 'rejete'
        WHEN created_at > now() - interval '40 days' THEN 'resolu'
        ELSE 'clos'
    END,
    CASE WHEN r > 0.95 AND NOT (created_at > now() - interval '10 days' AND r > 0.6) THEN 'pas_d_action_possible' ELSE '' END,
    r < 0.3,
    0,
    '',
    created_at,
    created_at,
    CASE WHEN r <= 0.95 AND created_at <= now() - interval '10 days' THEN created_at + (1 + random() * 20) * interval '1 day' END,
    CASE WHEN r <= 0.95 AND created_at <= now() - interval '40 days' THEN created_at + (2 + random() * 30) * interval '1 day'
         WHEN r > 0.95 AND created_at <= now() - interval '10 days' THEN created_at + interval '1 day' END,
    '{}'::jsonb,
    ''
FROM rows;
