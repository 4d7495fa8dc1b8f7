/** CSS files are bundled as minified strings (see widget/build.ts). */
declare module '*.css' {
  const css: string;
  export default css;
}
