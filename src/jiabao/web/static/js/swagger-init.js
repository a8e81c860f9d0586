// Starts Swagger UI on /docs. A static file, not an inline script, so the Content-Security-Policy can forbid inline
// script; the library itself comes from the installed npm package swagger-ui-dist (/static/vendor/).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
