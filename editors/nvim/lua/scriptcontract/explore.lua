-- Exploration for Neovim: `:ScriptContractExplore` runs inputs generated from the current
-- script's schema through the server; each failure is a diagnostic at its line (from the
-- server) and an entry of the quickfix list, and the diagnostic's code action "Save input as
-- case" adds its smallest input to the cases file.
local M = {}

local NAME = "scriptcontract"

local function notify(message, level)
  -- One line, as every message of the plugin (see run.one_line).
  require("scriptcontract.run").notify(message, level)
end

--- Quickfix items of the failures of one `scriptcontract.explore` answer.
---@param answer table
---@return table[]
function M.quickfix_items(answer)
  local file = vim.uri_to_fname(answer.uri)
  local items = {}
  for _, failure in ipairs(answer.failures or {}) do
    local what = failure.errorType
    if failure.kind ~= "exception" or what == nil or what == vim.NIL then
      what = failure.kind
    end
    table.insert(items, {
      filename = file,
      lnum = failure.range.start.line + 1,
      col = failure.range.start.character + 1,
      text = string.format("%s; smallest input: %s", what, vim.json.encode(failure.inputs)),
      type = "E",
    })
  end
  return items
end

--- :ScriptContractExplore [SEED]: explore the script in `bufnr`.
---@param bufnr integer
---@param args? string the seed, if given
---@param on_done? fun(answer: table)
function M.explore(bufnr, args, on_done)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1]
  if client == nil then
    notify(require("scriptcontract.run").why_no_client(bufnr), vim.log.levels.ERROR)
    return
  end
  if not require("scriptcontract.run").on_disk(bufnr, "the runs use the file on disk") then
    return
  end
  local argument = { uri = vim.uri_from_bufnr(bufnr) }
  if args ~= nil and args ~= "" then
    local seed = tonumber(args)
    if seed == nil or seed < 0 or seed ~= math.floor(seed) then
      notify("the seed is a whole number, got " .. args, vim.log.levels.ERROR)
      return
    end
    argument.seed = seed
  end
  -- The runs execute the script on disk: write it first.
  if not require("scriptcontract.run").save(bufnr, "the runs use the file on disk") then
    return
  end
  notify("exploring " .. vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t") .. "…")
  client:request("workspace/executeCommand", { command = "scriptcontract.explore", arguments = { argument } }, function(err, answer)
    if err then
      notify("the exploration failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if type(answer) ~= "table" then
      return
    end
    if answer.error ~= nil and answer.error ~= vim.NIL then
      -- Refused: the server has said why (window/showMessage); saying it again here showed
      -- every refusal twice.
    else
      local script = vim.fn.fnamemodify(vim.uri_to_fname(answer.uri), ":t")
      local items = M.quickfix_items(answer)
      -- In the words of `scriptcontract test --explore` and VS Code ("2 failures in 200 runs").
      local found = #items == 0 and "no failure" or string.format("%d failure%s", #items, #items == 1 and "" or "s")
      local summary = string.format("%s: %s in %d runs (seed %d)", script, found, answer.runs, answer.seed)
      -- Why it stopped, in the CLI's words: the server says it (an older one does not).
      if type(answer.stopped) == "string" and answer.stopped ~= "" then
        summary = summary .. "; " .. answer.stopped
      end
      -- The message is cut to one line; the quickfix list's title keeps the whole summary.
      vim.fn.setqflist({}, " ", { title = "scriptcontract explore: " .. summary, items = items })
      notify(summary, #items == 0 and vim.log.levels.INFO or vim.log.levels.WARN)
      if #items > 0 then
        vim.cmd("botright copen")
        vim.cmd("wincmd p")
      end
    end
    if on_done then
      on_done(answer)
    end
  end, bufnr)
end

return M
