/*
 * buyerjourney: an upgrade script, assembled by the Makefile from the files
 * in schema/ that the new version added.
 */

\echo Use "ALTER EXTENSION buyerjourney UPDATE" to load this file. \quit
