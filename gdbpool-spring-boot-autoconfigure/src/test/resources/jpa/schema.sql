-- run by Boot's spring.sql.init before Hibernate creates the tables
CREATE SCHEMA IF NOT EXISTS jpa_app;
CREATE TABLE IF NOT EXISTS jpa_app.init_marker (ran_on_standby boolean NOT NULL);
INSERT INTO jpa_app.init_marker VALUES (pg_is_in_recovery());
