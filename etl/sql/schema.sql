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
    licence    varchar not null
);

create table territoires (
    niveau           varchar not null,   -- commune | epci | departement | region
    code             varchar not null,   -- INSEE code (SIREN for EPCI), always text
    nom              varchar not null,
    code_epci        varchar,            -- communes only; NULL outside any EPCI (L'Île-d'Yeu)
    code_departement varchar,            -- EPCI: the département holding most of its population
    code_region      varchar,
    population       bigint not null,    -- population municipale; EPCI: all member communes
    superficie_km2   double not null,    -- area computed in Lambert-93 (EPSG:2154)
    longitude        double not null,    -- reference point: town hall, else a point inside
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
    type_ancien varchar not null        -- COM (identity) | COMD | COMA | ARM | SRM
);

-- The indicator catalogue that drives the UI.
create table indicateurs (
    code        varchar primary key,
    libelle     varchar not null,
    unite       varchar not null,
    source      varchar not null,
    millesime   varchar not null,
    sens        varchar not null check (sens in ('+', '-')),  -- '+' : higher is worse for people
    description varchar not null,
    theme       varchar not null,
    niveaux     varchar not null        -- levels where it exists, comma-separated
);

create table valeurs (
    indicateur varchar not null,
    niveau     varchar not null,
    code       varchar not null,
    millesime  varchar not null,
    valeur     double,
    statut     varchar not null check (statut in ('ok', 'secret', 'absent')),
    primary key (indicateur, niveau, code, millesime)
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
create table qualite_valeurs (
    indicateur varchar not null,
    niveau     varchar not null,
    code       varchar not null,
    millesime  varchar not null,
    note       varchar not null
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
