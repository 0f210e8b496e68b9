-- pobratim's procedures in Virtuoso, defined by every `pobratim virtuoso load` in the database it loads.
-- A build is bulk-loaded (DB.DBA.rdf_loader_run: fast, not transactional) into a database of its own that
-- no server reads, under graph names nobody may read yet; PBT_PUBLISH then checks it is whole, makes its
-- graphs readable (the one holding the default graph last: servers look for that one) and records it.
-- Variables never share a name with a column (Virtuoso matches names case-insensitively: `g` is G).

create table PBT_GRAPHS (PG_NAME varchar primary key)
;

create table PBT_HELD (PH_KEY integer primary key, PH_BUILD varchar, PH_FOLDER varchar, PH_LOADED varchar)
;

create procedure PBT_PUBLISH (in build varchar, in folder varchar, in stamp varchar, in holder varchar, in expected integer)
{
  declare loaded integer;
  select count (*) into loaded from DB.DBA.RDF_QUAD where G in (select iri_to_id (PG_NAME) from PBT_GRAPHS);
  if (loaded <> expected)
    signal ('PBT01', sprintf ('the build has %d quads, %d were loaded', expected, loaded));
  -- Graph-level security: `nobody` is the anonymous SPARQL user; 1 is read. Setting a permission commits.
  for (select PG_NAME as graph_iri from PBT_GRAPHS where PG_NAME <> holder) do
    {
      DB.DBA.RDF_GRAPH_USER_PERMS_SET (graph_iri, 'nobody', 1);
    }
  DB.DBA.RDF_GRAPH_USER_PERMS_SET (holder, 'nobody', 1);
  delete from PBT_HELD;
  insert into PBT_HELD (PH_KEY, PH_BUILD, PH_FOLDER, PH_LOADED) values (1, build, folder, stamp);
  commit work;
  return loaded;
}
;
