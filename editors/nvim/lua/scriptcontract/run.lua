-- "Run with inputs" for Neovim: the prompt, the server request, and where the result goes.
local json = require("scriptcontract.json")
local result_view = require("scriptcontract.result")

local M = {}

local NAME = "scriptcontract"

local function notify(message, level)
  vim.notify("scriptcontract: " .. message, level or vim.log.levels.INFO)
end

--- The scriptcontract client attached to `bufnr`, or nil after telling the user why not.
---@param bufnr integer
---@return vim.lsp.Client|nil
function M.client_for(bufnr)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1]
  if client == nil then
    notify("no scriptcontract language server is attached to this buffer", vim.log.levels.ERROR)
  end
  return client
end

---@param client vim.lsp.Client
---@param bufnr integer
---@param command string
---@param argument table
---@param on_result fun(result: any)
local function execute(client, bufnr, command, argument, on_result)
  -- client:request sends workspace/executeCommand without consulting client-side commands, so
  -- scriptcontract.runNow always reaches the server.
  client:request("workspace/executeCommand", { command = command, arguments = { argument } }, function(err, result)
    if err then
      notify(command .. " failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    on_result(result)
  end, bufnr)
end

--- A run executes the file on disk: write unsaved changes first.
function M.save(bufnr)
  if vim.bo[bufnr].modified then
    vim.api.nvim_buf_call(bufnr, function()
      vim.cmd("silent update")
    end)
  end
end

--- Shows a run's result: a notification, and the result buffer (unless `result = "notify"`).
function M.show(script, inputs, result)
  local config = require("scriptcontract").config
  local summary = result_view.summary(script, result)
  notify(summary, result.success and vim.log.levels.INFO or vim.log.levels.WARN)
  if config.result ~= "split" then
    return
  end
  local name = "scriptcontract://run/" .. script
  local buf = vim.fn.bufnr(name)
  if buf == -1 then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, name)
    vim.bo[buf].bufhidden = "hide"
    vim.bo[buf].swapfile = false
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, result_view.lines(script, inputs, result))
  vim.bo[buf].modifiable = false
  if vim.fn.bufwinid(buf) == -1 then
    local current = vim.api.nvim_get_current_win()
    vim.cmd("botright split")
    vim.api.nvim_win_set_buf(0, buf)
    vim.api.nvim_win_set_height(0, math.min(15, vim.api.nvim_buf_line_count(buf) + 1))
    vim.api.nvim_set_current_win(current)
  end
end

--- Sends scriptcontract.runNow for `bufnr` and shows the result.
---@param bufnr integer
---@param args table  extra arguments: inputs, inputsFile, timeoutMs
---@param on_done? fun(result: table)
function M.run(bufnr, args, on_done)
  local client = M.client_for(bufnr)
  if client == nil then
    return
  end
  M.save(bufnr)
  local argument = vim.tbl_extend("force", {}, args, { uri = vim.uri_from_bufnr(bufnr) })
  local script = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t")
  notify("running " .. script .. "…")
  execute(client, bufnr, "scriptcontract.runNow", argument, function(result)
    if type(result) == "table" and type(result.success) == "boolean" then
      M.show(script, args.inputs, result)
    end
    if on_done then
      on_done(result)
    end
  end)
end

--- Asks for the inputs (pre-filled from the sidecar file or the inferred template), then runs.
---@param bufnr integer
---@param extra? table  other run arguments (timeoutMs)
function M.prompt_and_run(bufnr, extra)
  M.ask_inputs(bufnr, function(inputs)
    M.run(bufnr, vim.tbl_extend("force", extra or {}, { inputs = inputs }))
  end)
end

--- Prompts for the inputs of `bufnr`'s script, pre-filled from its sidecar file or the inferred
--- template, until they are a JSON object; calls `on_inputs` with them (not when cancelled).
---@param bufnr integer
---@param on_inputs fun(inputs: table)
function M.ask_inputs(bufnr, on_inputs)
  local client = M.client_for(bufnr)
  if client == nil then
    return
  end
  if vim.api.nvim_buf_get_name(bufnr) == "" then
    notify("write the script to a file first: a run executes the file on disk", vim.log.levels.WARN)
    return
  end
  local script = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t")
  execute(client, bufnr, "scriptcontract.inputsTemplate", { uri = vim.uri_from_bufnr(bufnr) }, function(template)
    local inputs = type(template) == "table" and template.inputs or nil
    local origin = type(template) == "table" and template.source == "sidecar" and "inputs file" or "inferred"
    local function ask(default)
      vim.ui.input({ prompt = string.format("Inputs for %s (JSON, %s): ", script, origin), default = default }, function(text)
        if text == nil then
          return
        end
        local parsed, problem = json.parse_object(text)
        if parsed == nil then
          notify(problem, vim.log.levels.ERROR)
          vim.schedule(function()
            ask(text)
          end)
          return
        end
        on_inputs(parsed)
      end)
    end
    ask(json.encode_object(inputs))
  end)
end

--- The client-side handler of scriptcontract.run (code action and code lens).
---@param command lsp.Command
---@param ctx table
function M.from_command(command, ctx)
  local argument = (command.arguments or {})[1] or {}
  local bufnr = ctx.bufnr
  if type(argument.uri) == "string" then
    bufnr = vim.uri_to_bufnr(argument.uri)
  end
  local extra = vim.deepcopy(argument)
  extra.uri = nil
  if extra.inputs ~= nil or extra.inputsFile ~= nil then
    M.run(bufnr, extra)
  else
    M.prompt_and_run(bufnr, extra)
  end
end

--- The inputs a command line gives: its JSON object, or, when it has none, the prompt's.
---@param bufnr integer
---@param text string
---@param on_inputs fun(inputs: table)
function M.inputs_from(bufnr, text, on_inputs)
  if vim.trim(text) == "" then
    M.ask_inputs(bufnr, on_inputs)
    return
  end
  local parsed, problem = json.parse_object(text)
  if parsed == nil then
    notify(problem, vim.log.levels.ERROR)
    return
  end
  on_inputs(parsed)
end

--- :ScriptContractRun [json]
---@param bufnr integer
---@param text string  the command's argument; empty means prompt
function M.command(bufnr, text)
  M.inputs_from(bufnr, text, function(inputs)
    M.run(bufnr, { inputs = inputs })
  end)
end

--- :ScriptContractCreateInputs: the server creates <script>.inputs.json through an edit that
--- Neovim applies; it is then written and opened.
---@param bufnr integer
function M.create_inputs(bufnr)
  local client = M.client_for(bufnr)
  if client == nil then
    return
  end
  execute(client, bufnr, "scriptcontract.createInputs", { uri = vim.uri_from_bufnr(bufnr) }, function(result)
    if type(result) ~= "table" or type(result.uri) ~= "string" then
      return
    end
    local sidecar = vim.uri_to_bufnr(result.uri)
    vim.fn.bufload(sidecar)
    vim.api.nvim_buf_call(sidecar, function()
      vim.cmd("silent update")
    end)
    vim.cmd("split")
    vim.api.nvim_win_set_buf(0, sidecar)
  end)
end

return M
