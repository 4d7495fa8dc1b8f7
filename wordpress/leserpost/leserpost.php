<?php
/**
 * Plugin Name:       Leserpost
 * Description:       Kommentare und Themenwünsche der Leserinnen mit Leserpost statt der WordPress-Kommentare. / Comments and reader topic wishes with Leserpost instead of WordPress comments.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * Author:            Leserpost
 * License:           MIT
 * Text Domain:       leserpost
 * Domain Path:       /languages
 *
 * @package Leserpost
 */

defined( 'ABSPATH' ) || exit;

define( 'LESERPOST_VERSION', '0.1.0' );
define( 'LESERPOST_FILE', __FILE__ );

require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/page-key.php';
require_once __DIR__ . '/includes/api.php';
require_once __DIR__ . '/includes/render.php';
require_once __DIR__ . '/includes/embed.php';
require_once __DIR__ . '/includes/admin.php';

add_action( 'init', 'leserpost_load_textdomain' );

/** German ships in languages/; WordPress picks it on a de_DE site (or a German user profile). */
function leserpost_load_textdomain() {
	load_plugin_textdomain( 'leserpost', false, dirname( plugin_basename( LESERPOST_FILE ) ) . '/languages' );
}
