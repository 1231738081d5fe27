-- :ScriptContractCreateInputs writes <script>.inputs.json from the inputs the script reads.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local script = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/broken_no_error_handling.py"
  h.open(script)
  vim.cmd("ScriptContractCreateInputs")
  local sidecar = script:gsub("%.py$", ".inputs.json")
  h.wait("the inputs file on disk", function()
    return vim.fn.filereadable(sidecar) == 1 and vim.fn.getfsize(sidecar) > 0
  end)
  h.facts.sidecar = sidecar
end
