#![allow(clippy::unwrap_used)]
//! Integration tests: one binary (one link step) with a module per domain. Every test gets a
//! fresh database with the real migrations applied: in-process SQLite by default, PostgreSQL
//! (a fresh schema per test) when `TEST_DATABASE_URL` is set.

mod common;

mod account_usage;
mod accounts;
mod activity;
mod aggregates;
mod auth;
mod bench_seed;
mod billing;
mod cloud_recording;
mod contract;
mod crash;
mod export;
mod http;
mod import;
mod lifecycle;
mod meetings;
mod metrics;
mod own_events;
mod per_parent_pages;
mod persisted;
mod phone_system;
mod remote_support;
mod round_trip;
mod seed_demo;
mod statements;
mod statistics;
mod subscriptions;
mod telephone;
mod upcoming;
mod web;
mod webhooks;
mod webinars;
