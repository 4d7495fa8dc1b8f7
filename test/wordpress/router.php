<?php
/**
 * Router for PHP's built-in web server in the WordPress tests: static files as they are, PHP
 * files and pretty permalinks through WordPress. ABSPATH is the test's own tree (symlinks into
 * Debian's WordPress plus its own wp-config.php), so Debian's /etc/wordpress lookup never runs.
 */

$leserpost_root = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' );
$leserpost_path = urldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
$leserpost_file = $leserpost_root . $leserpost_path;

if ( is_dir( $leserpost_file ) && is_file( rtrim( $leserpost_file, '/' ) . '/index.php' ) ) {
	$leserpost_file = rtrim( $leserpost_file, '/' ) . '/index.php';
}
if ( is_file( $leserpost_file ) && '.php' !== substr( $leserpost_file, -4 ) ) {
	return false;
}
define( 'ABSPATH', $leserpost_root . '/' );
if ( ! is_file( $leserpost_file ) ) {
	$leserpost_file = $leserpost_root . '/index.php';
}
$_SERVER['SCRIPT_NAME']     = substr( $leserpost_file, strlen( $leserpost_root ) );
$_SERVER['SCRIPT_FILENAME'] = $leserpost_file;
$_SERVER['PHP_SELF']        = $_SERVER['SCRIPT_NAME'];
chdir( dirname( $leserpost_file ) );
require $leserpost_file;
