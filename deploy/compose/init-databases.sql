-- Run once by the postgres container on a fresh data directory, as POSTGRES_USER (virga) in
-- POSTGRES_DB (virga_gateway): one database per service that owns one (the devstack's layout).
CREATE DATABASE virga_scheduler;
CREATE DATABASE virga_storage;
CREATE DATABASE virga_network;
