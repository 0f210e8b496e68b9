-- pobratim's procedures in Virtuoso, (re)defined by every `pobratim virtuoso load`.
-- A build is bulk-loaded (DB.DBA.rdf_loader_run: fast, not transactional) under graph names nobody can
-- read; PBT_SWITCH then moves it under its own graph names in one transaction and makes them readable: a
-- query before the commit sees the old build, one after it the new (read committed is per row, so a scan
-- across the commit can see part of each); a failure rolls back and leaves the old one.
-- Variables never share a name with a column (Virtuoso matches names case-insensitively: `g` is G).

create table PBT_GRAPHS (PG_BUILD varchar, PG_NAME varchar, PG_STAGED varchar, primary key (PG_BUILD, PG_NAME))
;

create table PBT_HELD (PH_KEY integer primary key, PH_BUILD varchar)
;

create procedure PBT_READABLE (in graph_iri varchar, in readable integer)
{
  -- Graph-level security: `nobody` is the anonymous SPARQL user; 1 is read, 0 is no access.
  DB.DBA.RDF_GRAPH_USER_PERMS_SET (graph_iri, 'nobody', readable);
}
;

create procedure PBT_SWITCH (in build varchar, in held varchar, in expected integer)
{
  declare moved integer;
  -- Graph permissions are not transactional: setting one commits (measured). So first, before any quad
  -- moves, the new build's graphs are made readable: those the old build had already are, the others are
  -- empty until the commit below. A reader sees the old build whole until then, and the new one after.
  for (select PG_NAME as final_iri from PBT_GRAPHS where PG_BUILD = build) do
    {
      PBT_READABLE (final_iri, 1);
    }
  commit work;
  log_enable (1, 1);
  moved := 0;
  -- The served build's graphs: emptied (for readers, at the commit).
  for (select PG_NAME as old_iri from PBT_GRAPHS where PG_BUILD = held) do
    {
      delete from DB.DBA.RDF_QUAD where G = iri_to_id (old_iri, 0);
    }
  for (select PG_NAME as final_iri, PG_STAGED as staged_iri from PBT_GRAPHS where PG_BUILD = build) do
    {
      if (final_iri <> staged_iri)
        {
          delete from DB.DBA.RDF_QUAD where G = iri_to_id (final_iri, 0);
          update DB.DBA.RDF_QUAD set G = iri_to_id (final_iri) where G = iri_to_id (staged_iri, 0);
        }
    }
  select count (*) into moved from DB.DBA.RDF_QUAD where G in (select iri_to_id (PG_NAME) from PBT_GRAPHS where PG_BUILD = build);
  if (moved <> expected)
    {
      -- A signal alone does not undo the transaction (measured: the deletes above stayed): roll back first.
      rollback work;
      signal ('PBT01', sprintf ('the build has %d quads, %d were loaded', expected, moved));
    }
  delete from PBT_HELD;
  insert into PBT_HELD (PH_KEY, PH_BUILD) values (1, build);
  commit work;
  -- The old build's graphs the new one lacks were emptied at the commit: now no one may read them either.
  for (select PG_NAME as old_iri from PBT_GRAPHS where PG_BUILD = held
       and PG_NAME not in (select PG_NAME from PBT_GRAPHS where PG_BUILD = build)) do
    {
      PBT_READABLE (old_iri, 0);
    }
  delete from PBT_GRAPHS where PG_BUILD <> build;
  commit work;
  return moved;
}
;
