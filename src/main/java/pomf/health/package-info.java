/** MicroProfile Health checks: liveness, and readiness (database reachable, storage writable). */
package pomf.health;
