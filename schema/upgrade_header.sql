/*
 * buyerjourney: an upgrade script, assembled by the Makefile from the files
 * in schema/upgrade-<version>/: the DDL that brings the previous version's
 * catalog to what a fresh install of this version makes.
 */

\echo Use "ALTER EXTENSION buyerjourney UPDATE" to load this file. \quit
