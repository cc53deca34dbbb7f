// Starts Swagger UI on this API's OpenAPI document. A file of its own, not an inline script,
// so that the Content-Security-Policy can forbid inline scripts on every page.
window.ui = SwaggerUIBundle({
  url: document.getElementById("swagger-ui").dataset.openapiUrl,
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout",
});
