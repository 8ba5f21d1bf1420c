/*
 * buyerjourney: the buyer-journey model inside PostgreSQL.
 *
 * This install script is assembled by the Makefile from the files in schema/; edit
 * those files, not the generated buyerjourney--<version>.sql.
 * Objects are referenced schema-qualified (@extschema@, pg_catalog) and SQL
 * function bodies use BEGIN ATOMIC, so nothing depends on search_path.
 */

\echo Use "CREATE EXTENSION buyerjourney" to load this file. \quit
