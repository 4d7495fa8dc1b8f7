<?php
/**
 * Runs PHP with the test WordPress loaded, as WordPress's own admin would: `php wp-run.php ROOT
 * HOST` with the code on stdin (the tests install, configure, export and inspect with it).
 */

$leserpost_root = rtrim( $argv[1], '/' );
define( 'ABSPATH', $leserpost_root . '/' );
$_SERVER['HTTP_HOST']   = $argv[2];
$_SERVER['SERVER_NAME'] = $argv[2];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$leserpost_code = stream_get_contents( STDIN );
if ( false !== strpos( $leserpost_code, 'wp_install(' ) ) {
	define( 'WP_INSTALLING', true );
}
require ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/export.php';
eval( $leserpost_code ); // phpcs:ignore Squiz.PHP.Eval.Discouraged -- test harness only.
