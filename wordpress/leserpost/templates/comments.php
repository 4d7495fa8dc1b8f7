<?php
/**
 * Stands in for the theme's comments.php where Leserpost applies: the widget's element with the
 * approved comments already inside, for readers without JavaScript and for search engines.
 *
 * @package Leserpost
 */

defined( 'ABSPATH' ) || exit;

echo leserpost_comments_element( leserpost_page_key() ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- every value is escaped where the element is built.
